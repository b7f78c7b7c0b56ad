import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// End to end on the tiny photos of `Tests/Fixtures/images/tiny`: real files, real weights.
@Suite("Tiny end-to-end stylization")
struct TinyStylizationTests {
    func images() throws -> (content: Tensor, style: Tensor) {
        (try ImageFile.load(try Fixtures.tinyContent),
         try ImageFile.load(try Fixtures.tinyStyle))
    }

    @Test func aFewStepsLowerTheLoss() throws {
        let (content, style) = try images()
        var configuration = StylizeConfiguration()
        configuration.epochs = 1
        configuration.stepsPerEpoch = 8
        var stylization = try Stylization(configuration: configuration, network: try TestWeights.vgg19(),
                                          content: content, style: style)
        var losses: [Double] = []
        let finished = try stylization.run { losses.append($0.report.total) }
        #expect(finished)
        #expect(losses.count == 8)
        #expect(losses.last! < 0.7 * losses.first!, "losses \(losses)")
        #expect(stylization.image.scalars.allSatisfy { (0...1).contains($0) })
    }

    /// L-BFGS on the pixels (1 level) and on the default pyramid.
    @Test(arguments: [1, 5])
    func lbfgsLowersTheLossFasterThanAdam(pyramidLevels: Int) throws {
        let (content, style) = try images()
        var configuration = StylizeConfiguration()
        configuration.epochs = 1
        configuration.stepsPerEpoch = 6
        let network = try TestWeights.vgg19()
        func finalLoss(_ optimizer: OptimizerKind) throws -> (loss: Double, image: Tensor) {
            configuration.optimizer = optimizer
            configuration.pyramidLevels = optimizer == .lbfgs ? pyramidLevels : nil
            var stylization = try Stylization(configuration: configuration, network: network, content: content, style: style)
            try stylization.run { _ in }
            let loss = stylization.transfer.objective.evaluate(stylization.image).report.total
            return (loss, stylization.image)
        }
        let adam = try finalLoss(.adam), lbfgs = try finalLoss(.lbfgs)
        #expect(lbfgs.loss < adam.loss, "L-BFGS \(lbfgs.loss) vs Adam \(adam.loss)")
        #expect(lbfgs.image.scalars.allSatisfy { (0...1).contains($0) }, "the image is the projection onto [0, 1]")
    }

    /// Fixed steps far too long clip every pixel; the stop says so instead of "converged".
    @Test func anOvershootThatClipsEveryPixelIsNamed() throws {
        let (content, style) = try images()
        var configuration = StylizeConfiguration()
        (configuration.epochs, configuration.stepsPerEpoch) = (1, 5)
        (configuration.optimizer, configuration.lineSearch, configuration.learningRate) = (.lbfgs, .none, 1e5)
        var stylization = try Stylization(configuration: configuration, network: try TestWeights.vgg19(),
                                          content: content, style: style)
        var reasons: [String] = []
        try stylization.run { step in reasons += step.stopReason.map { [$0] } ?? [] }
        #expect(reasons.count == 1)
        #expect(reasons.first?.hasPrefix("every pixel is outside [0, 1]") == true, "\(reasons)")
    }

    @Test func noiseStartsAreReproducibleFromTheSeed() throws {
        let (content, style) = try images()
        var configuration = StylizeConfiguration()
        configuration.epochs = 1
        configuration.stepsPerEpoch = 2
        configuration.initialization = .noise
        configuration.seed = 42
        let network = try TestWeights.vgg19()
        var first = try Stylization(configuration: configuration, network: network, content: content, style: style)
        var second = try Stylization(configuration: configuration, network: network, content: content, style: style)
        try first.run { _ in }
        try second.run { _ in }
        #expect(first.image.scalars == second.image.scalars)
    }

    @Test func stoppingEndsOnAWholeStep() throws {
        let (content, style) = try images()
        var configuration = StylizeConfiguration()
        configuration.stepsPerEpoch = 50
        var stylization = try Stylization(configuration: configuration, network: try TestWeights.vgg19(),
                                          content: content, style: style)
        var steps = 0
        let finished = try stylization.run(shouldStop: { steps >= 3 }) { _ in steps += 1 }
        #expect(!finished)
        #expect(stylization.transfer.stepsTaken == 3)
    }

    /// L-BFGS's curvature pairs only mean something with the pyramid they were measured under.
    @Test(arguments: [(5, 1), (1, 5), (5, 3)])
    func aCheckpointIsRefusedByARunWithAnotherPyramid(saved: Int, restoring: Int) throws {
        let (content, style) = try images()
        let network = try TestWeights.vgg19()
        var configuration = StylizeConfiguration()
        configuration.optimizer = .lbfgs
        configuration.stepsPerEpoch = 2
        configuration.pyramidLevels = saved
        var first = try Stylization(configuration: configuration, network: network, content: content, style: style)
        try first.run { _ in }
        configuration.pyramidLevels = restoring
        var second = try Stylization(configuration: configuration, network: network, content: content, style: style)
        #expect(throws: CheckpointError.self) { try second.restore(from: try first.archive()) }
    }
}
