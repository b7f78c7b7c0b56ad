import Foundation
import ImpastoCore
import ImpastoModels
import Testing

/// The style predictor run natively against onnxruntime's style vector for the same painting
/// (`Fixtures/magenta/arbitrary-predict.json`, graph optimisations off: the file's own
/// arithmetic, activation quantisation included).
///
/// The tolerance is measured, not chosen: the 65 activation quantisations round to grids, and a
/// convolution summed in another order (oneDNN's, or onnxruntime's own integer kernels with its
/// optimisations on) lands some values on the other side of a rounding boundary. Those flips
/// reach the output as whole steps of its grid (0.0199): onnxruntime against itself, optimised,
/// differs by up to one step, 0.0066 on average; Impasto by up to two steps, 0.0062 on average.
/// Without the quantisations the vector would be off by up to 0.72 (0.023 on average).
@Suite("Magenta style predictor")
struct StylePredictorTests {
    struct VectorFixture: Decodable {
        struct Vector: Decodable { var values: [Float] }
        var style_vector: Vector
    }

    static func predictor() throws -> StylePredictor {
        let model = try MagentaFiles.model(.magentaPredictor)
        return try StylePredictor(model: model, file: Artefact.magentaPredictor.fileName)
    }

    /// An HWC image as Impasto's `1 × 3 × H × W`.
    static func planes(_ pixels: [Float], width: Int, height: Int) -> Tensor {
        var planar = [Float](repeating: 0, count: pixels.count)
        for index in 0..<(width * height) {
            for channel in 0..<3 { planar[channel * width * height + index] = pixels[index * 3 + channel] }
        }
        return Tensor(shape: Shape(1, 3, height, width), scalars: planar)
    }

    @Test func matchesOnnxruntimesStyleVector() throws {
        let fixture = try MagentaFixture.load("arbitrary-predict.json")
        let expected = try JSONDecoder().decode(
            VectorFixture.self, from: Data(contentsOf: MagentaFixture.folder.appendingPathComponent("arbitrary-predict.json")))
            .style_vector.values
        let image = Self.planes(MagentaFixture.syntheticImage(width: 256, height: 256, seed: fixture.input.seed),
                                width: 256, height: 256)
        let vector = try Self.predictor().styleVector(of: image)
        #expect(vector.count == StylePredictor.vectorLength && expected.count == vector.count)
        let differences = zip(vector, expected).map { abs($0 - $1) }
        let (outputStep, mean) = (Float(0.019879), differences.reduce(0, +) / Float(differences.count))
        #expect(differences.max()! <= 2 * outputStep + 1e-4, "largest difference \(differences.max()!)")
        #expect(mean <= 0.008, "mean difference \(mean)")
        // Whatever is not a flip agrees to float precision: each difference is a whole number of steps.
        for difference in differences {
            let steps = (difference / outputStep).rounded()
            #expect(abs(difference - steps * outputStep) <= 1e-4, "a difference of \(difference) is not whole grid steps")
        }
    }

    @Test func refusesAGraphWithAnOperatorItDoesNotRun() throws {
        var model = try MagentaFiles.model(.magentaPredictor)
        let index = try #require(model.graph.nodes.firstIndex { $0.opType == "GlobalAveragePool" })
        model.graph.nodes[index].opType = "GlobalMaxPool"
        #expect(throws: ONNXError.self) { try StylePredictor(model: model, file: "edited.onnx") }
    }
}
