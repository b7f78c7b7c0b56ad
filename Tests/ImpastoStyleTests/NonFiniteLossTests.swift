import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// Runs pushed past what Float holds (weights the flags accept): the step where a value turns NaN
/// or infinite is named, and what came before it is kept instead of NaN reaching the output.
@Suite("Non-finite losses and weights (Tiny images)")
struct NonFiniteLossTests {
    static func request(_ change: (inout StylizeConfiguration) -> Void) throws -> StylizeRequest {
        var configuration = StylizeConfiguration()
        change(&configuration)
        return StylizeRequest(content: .file(try Fixtures.tinyContent), styles: [.file(try Fixtures.tinyStyle)],
                              configuration: configuration)
    }

    /// Adam with style weight 1e25: the loss is about 1e36 and the gradient overflows, so the
    /// second step's update makes the image NaN; the image after the first step is kept.
    @Test func adamKeepsTheImageFromBeforeTheStepThatMadeNaN() throws {
        let request = try Self.request {
            $0 = StylizeConfiguration(preset: .tutorial)
            ($0.epochs, $0.stepsPerEpoch, $0.lossWeights.style) = (1, 5, 1e25)
        }
        var reported: [Int] = []
        do {
            try StylizeRun(request: request, network: try TestWeights.vgg19()).run { event in
                if case .step(let step) = event { reported.append(step.progress.step) }
            }
            Issue.record("the run finished with a NaN image")
        } catch DivergenceError.stylization(let value, let step, let stage, let stages, let kept) {
            #expect(value == .image && step == 2 && stage == 1 && stages == 1)
            #expect(reported == [1], "the step that made NaN is not reported")
            let result = try #require(kept)
            #expect(result.step == 1 && !result.completed)
            #expect(result.image.shape == Shape(1, 3, 48, 64))
            #expect(result.image.scalars.allSatisfy { $0.isFinite })
        }
    }

    /// L-BFGS with style weight 1e30: the loss of the starting image is already infinite, so no
    /// step succeeded and nothing is kept (the run used to end "converged" and write the photo).
    @Test func anInfiniteFirstLossKeepsNothing() throws {
        let request = try Self.request {
            $0 = StylizeConfiguration(preset: .recommended)
            ($0.epochs, $0.stepsPerEpoch, $0.lossWeights.style) = (1, 5, 1e30)
        }
        #expect(request.configuration.optimizer == .lbfgs)
        do {
            try StylizeRun(request: request, network: try TestWeights.vgg19()).run()
            Issue.record("the run finished with an infinite loss")
        } catch DivergenceError.stylization(let value, let step, _, _, let kept) {
            #expect(value == .loss && step == 1)
            #expect(kept == nil)
        }
    }

    /// Training: a step whose loss (style weight 3e38) or new weights (learning rate 1e30) are
    /// not finite throws naming step 1 and leaves the network, optimiser and count untouched.
    @Test(arguments: [("loss", Float(1e-3), Float(3e38)), ("weights", Float(1e30), Float(500))])
    func aTrainingStepThatDivergesChangesNothing(_ kind: String, learningRate: Float, styleWeight: Float) throws {
        let folder = try Fixtures.file("images/tiny")
        var configuration = FastStyleTrainingConfiguration()
        (configuration.imageSize, configuration.batchSize, configuration.baseChannels) = (32, 2, 8)
        (configuration.learningRate, configuration.styleWeight) = (learningRate, styleWeight)
        let images = try TrainingImages(folder: folder, size: 32, batchSize: 2, seed: 9)
        let style = try TrainingImages.square(try Fixtures.tinyStyle, size: 32)
        var trainer = FastStyleTrainer(configuration: configuration, vgg: try TestWeights.vgg19(), style: style)
        let before = trainer.network.parameters.mapValues(\.scalars)
        let batch = try images.batch(iteration: 0)
        do {
            _ = try trainer.checkedStep(batch)
            Issue.record("the step was taken")
        } catch {
            #expect(error.step == 1)
            switch error.value {
            case .loss: #expect(kind == "loss")
            case .weights: #expect(kind == "weights")
            default: Issue.record("\(error)")
            }
        }
        #expect(trainer.iteration == 0 && trainer.optimizer.step == 0)
        #expect(trainer.network.parameters.mapValues(\.scalars) == before)
    }
}
