import Foundation
import ImpastoCore
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

@Suite("Fast style training (Tiny images)")
struct TinyFastStyleTrainingTests {
    static func setting() throws -> (TrainingImages, Tensor, FastStyleTrainingConfiguration) {
        let folder = try Fixtures.file("images/tiny")
        var configuration = FastStyleTrainingConfiguration()
        configuration.imageSize = 32
        configuration.batchSize = 2
        configuration.baseChannels = 8
        configuration.learningRate = 1e-2
        configuration.seed = 9
        let images = try TrainingImages(folder: folder, size: 32, batchSize: 2, seed: 9)
        let style = try TrainingImages.square(try Fixtures.tinyStyle, size: 32)
        return (images, style, configuration)
    }

    @Test func thirtyIterationsLowerThePerceptualLoss() throws {
        let (images, style, configuration) = try Self.setting()
        var trainer = FastStyleTrainer(configuration: configuration, vgg: try TestWeights.vgg19(), style: style)
        let probe = try images.batch(iteration: 0)
        let before = trainer.perceptualLoss(of: trainer.network(probe), photos: probe).1.total
        for iteration in 0..<30 { _ = trainer.step(try images.batch(iteration: iteration)) }
        let after = trainer.perceptualLoss(of: trainer.network(probe), photos: probe).1.total
        #expect(after < 0.7 * before, "loss \(before) → \(after)")
    }

    @Test func aResumedRunEqualsAnUninterruptedOne() throws {
        let (images, style, configuration) = try Self.setting()
        let vgg = try TestWeights.vgg19()
        var straight = FastStyleTrainer(configuration: configuration, vgg: vgg, style: style)
        for iteration in 0..<4 { _ = straight.step(try images.batch(iteration: iteration)) }

        var first = FastStyleTrainer(configuration: configuration, vgg: vgg, style: style)
        for iteration in 0..<2 { _ = first.step(try images.batch(iteration: iteration)) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-train-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        try first.archive().write(to: url)
        var resumed = FastStyleTrainer(configuration: configuration, vgg: vgg, style: style)
        try resumed.restore(from: StateArchive.read(contentsOf: url))
        #expect(resumed.iteration == 2)
        for iteration in 2..<4 { _ = resumed.step(try images.batch(iteration: iteration)) }

        for (name, tensor) in straight.network.parameters {
            #expect(resumed.network.parameters[name]!.scalars == tensor.scalars, "\(name) differs")
        }
    }

    @Test func batchesAreWholeSquaresInAFixedOrder() throws {
        let (images, _, _) = try Self.setting()
        #expect(images.files.count == 4)
        #expect(try images.batch(iteration: 1).shape == Shape(2, 3, 32, 32))
        #expect(images.batchFiles(iteration: 3) == images.batchFiles(iteration: 3))
        #expect(Set(images.batchFiles(iteration: 0) + images.batchFiles(iteration: 1)).count == 4, "an epoch covers every photo")
    }
}
