import Foundation
import ImpastoCore
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

@Suite("Fast style network widths")
struct NetworkWidthTests {
    @Test func widthsNameTheirChannels() {
        #expect(TransformerNetWidth.allCases.map(\.baseChannels) == [32, 16, 8])
        #expect(TransformerNetWidth(baseChannels: 16) == .half)
        #expect(TransformerNetWidth(baseChannels: 12) == nil)
        #expect(TransformerNet.parameterShapes(baseChannels: TransformerNetWidth.quarter.baseChannels)
            .first { $0.name == "res1.conv1.conv2d.weight" }?.shape == Shape(32, 32, 3, 3))
    }

    /// A quarter-width model trains a step, is saved and loaded back with its width, and
    /// stylises a photo of an awkward size exactly as before saving.
    @Test func aQuarterWidthModelTrainsSavesReloadsAndApplies() throws {
        let (images, style, base) = try TinyFastStyleTrainingTests.setting()
        var configuration = base
        configuration.baseChannels = TransformerNetWidth.quarter.baseChannels
        var trainer = FastStyleTrainer(configuration: configuration, vgg: try TestWeights.vgg19(), style: style)
        let loss = trainer.step(try images.batch(iteration: 0))
        #expect(loss.total.isFinite)
        let model = StyleModel(network: trainer.network,
                               metadata: .init(baseChannels: configuration.baseChannels, scaling: .unit, style: "tiny"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-quarter-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let loaded = try StyleModel.load(contentsOf: url)
        #expect(loaded.metadata.width == .quarter)
        #expect(loaded.network.baseChannels == 8)
        let photo = try TrainingImages.square(try Fixtures.tinyContent, size: 30)
        let (before, after) = (try FastStylizer(model: model).stylize(photo), try FastStylizer(model: loaded).stylize(photo))
        #expect(after.scalars == before.scalars)
    }
}
