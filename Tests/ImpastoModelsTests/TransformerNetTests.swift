import Foundation
import ImpastoCore
import ImpastoModels
import Testing

@Suite("TransformerNet: PyTorch import and Impasto's model files")
struct TransformerNetTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The fixture is pytorch/examples' architecture at widths 8/16/32 with seeded weights; its
    /// expected output was computed by PyTorch (Tools/reference/make_transformer_fixture.py).
    @Test func anImportedPyTorchModelGivesPyTorchsOutput() throws {
        let model = try StyleModel.importPyTorch(contentsOf: Self.fixtures.appendingPathComponent("transformer-net-w8.pt"))
        #expect(model.metadata.baseChannels == 8)
        #expect(model.metadata.scaling == .byte)
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.fixtures.appendingPathComponent("transformer-net-w8-expected.json"))) as! [String: Any]
        let dims = expected["shape"] as! [Int]
        let input = Tensor(shape: Shape(dims[0], dims[1], dims[2], dims[3]),
                           scalars: (expected["input"] as! [NSNumber]).map { $0.floatValue })
        let output = model.network(input).scalars
        let reference = (expected["output_0_255"] as! [NSNumber]).map { min(max($0.doubleValue / 255, 0), 1) }
        let worst = zip(output, reference).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(output.count == reference.count)
        #expect(worst <= 1e-4, "largest difference from PyTorch: \(worst)")
        // The fixture's outputs must mostly be inside 0…255, or the comparison would be of clipped values.
        #expect(reference.filter { $0 > 0 && $0 < 1 }.count > reference.count * 9 / 10)
    }

    @Test func aSavedModelLoadsBackIdentically() throws {
        let model = StyleModel(network: TransformerNet(seed: 3, baseChannels: 4),
                               metadata: .init(baseChannels: 4, scaling: .unit, style: "test", training: ["iterations": "0"]))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-model-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let loaded = try StyleModel.load(contentsOf: url)
        #expect(loaded.metadata == model.metadata)
        for (name, tensor) in model.network.parameters {
            #expect(loaded.network.parameters[name]?.scalars == tensor.scalars, "\(name)")
        }
        var generator = SeededGenerator(seed: 4)
        let image = Tensor(uniform: 0...1, shape: Shape(1, 3, 12, 8), using: &generator)
        #expect(loaded.network(image).scalars == model.network(image).scalars)
    }

    @Test func aFileThatIsNotAModelIsRefusedWithTheReason() throws {
        let url = Self.fixtures.appendingPathComponent("checkpoint-zip.pt")
        #expect(throws: WeightFileError.self) { try StyleModel.importPyTorch(contentsOf: url) }
        do {
            _ = try StyleModel.importPyTorch(contentsOf: url)
        } catch {
            #expect("\(error)".contains("not a fast_neural_style TransformerNet"), "\(error)")
        }
    }
}
