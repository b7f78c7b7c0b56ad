import Foundation
import ImpastoCore
import ImpastoModels
import Testing

/// The native 26-style network against onnxruntime's outputs of the same file (the fixtures of
/// `Tools/reference/make_magenta_fixtures.py`), and its refusal of files that do not fit.
@Suite("26-style network")
struct MultiStyleNetworkTests {
    /// The fixture's style weights, which `MagentaFixture` does not read.
    private struct StyleWeights: Decodable {
        var style_weights: [Float]
    }

    private static let network: Result<MultiStyleNetwork, any Error> = Result {
        try MultiStyleNetwork(onnx: try MagentaFiles.model(.multistyle26), path: "multistyle26.onnx")
    }

    @Test(arguments: ["multistyle26-64x64.json", "multistyle26-50x38.json"])
    func matchesOnnxruntime(fixtureName: String) throws {
        let fixture = try MagentaFixture.load(fixtureName)
        let expected = try #require(fixture.output)
        let data = try Data(contentsOf: MagentaFixture.folder.appendingPathComponent(fixtureName))
        let blend = try StyleBlend(weights: try JSONDecoder().decode(StyleWeights.self, from: data).style_weights)
        let (width, height) = (fixture.input.width, fixture.input.height)
        let image = Self.planar(MagentaFixture.syntheticImage(width: width, height: height, seed: fixture.input.seed),
                                width: width, height: height)

        let output = try Self.network.get()(image, blend: blend).laidOut(as: .nchw)

        #expect(output.shape.dims == expected.shape)
        let values = output.scalars
        for (position, value) in zip(expected.sample_positions, expected.sample_values) {
            #expect(abs(Double(values[position]) - value) < 1e-4, "value \(position)")
        }
        let plane = output.shape.h * output.shape.w
        for (channel, mean) in expected.channel_means.enumerated() {
            let sum = values[(channel * plane)..<((channel + 1) * plane)].reduce(0.0) { $0 + Double($1) }
            #expect(abs(sum / Double(plane) - mean) < 1e-4, "channel \(channel) mean")
        }
    }

    /// Blending is linear in the norm parameters, so equal weights on one style twice over are
    /// that style alone, and a blend differs from both of its styles.
    @Test func aBlendLiesBetweenItsStyles() throws {
        let network = try Self.network.get()
        let image = Self.planar(MagentaFixture.syntheticImage(width: 24, height: 20, seed: 5), width: 24, height: 20)
        let three = network(image, blend: try .single(3)).scalars
        let twelve = network(image, blend: try .single(12)).scalars
        let both = network(image, blend: try StyleBlend(parsing: "3:1,12:1")).scalars
        func distance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max()! }
        #expect(distance(three, twelve) > 0.05)
        #expect(distance(both, three) > 0.01 && distance(both, twelve) > 0.01)
    }

    @Test func refusesAFileWithAMissingInitializer() throws {
        var model = try MagentaFiles.model(.multistyle26)
        model.graph.initializers["res.2.1.norm.beta"] = nil
        #expect(throws: MultiStyleNetworkError.missing(path: "m.onnx", name: "res.2.1.norm.beta")) {
            try MultiStyleNetwork(onnx: model, path: "m.onnx")
        }
    }

    @Test func refusesAFileWithAMisshapenInitializer() throws {
        var model = try MagentaFiles.model(.multistyle26)
        model.graph.initializers["expand.1.w"] = ONNXTensor(name: "expand.1.w", dims: [4, 8, 9, 1],
                                                           values: .float32(Array(repeating: 0, count: 288)))
        let error = MultiStyleNetworkError.wrongShape(path: "m.onnx", name: "expand.1.w", expected: [4, 8, 3, 3],
                                                      found: [4, 8, 9, 1])
        #expect(throws: error) { try MultiStyleNetwork(onnx: model, path: "m.onnx") }
        #expect(error.description == "m.onnx: initializer expand.1.w has shape [4, 8, 9, 1], the 26-style network needs [4, 8, 3, 3]")
    }

    @Test func refusesAFileWithAnInitializerItDoesNotUse() throws {
        var model = try MagentaFiles.model(.multistyle26)
        model.graph.initializers["contract.0.bias"] = ONNXTensor(name: "contract.0.bias", dims: [32],
                                                                 values: .float32(Array(repeating: 0, count: 32)))
        #expect(throws: MultiStyleNetworkError.unexpected(path: "m.onnx", name: "contract.0.bias")) {
            try MultiStyleNetwork(onnx: model, path: "m.onnx")
        }
    }

    @Test func refusesIntegerWeights() throws {
        var model = try MagentaFiles.model(.multistyle26)
        model.graph.initializers["contract.1.norm.gamma"] = ONNXTensor(name: "contract.1.norm.gamma", dims: [26, 32],
                                                                       values: .int8(Array(repeating: 0, count: 832)))
        #expect(throws: MultiStyleNetworkError.notFloat(path: "m.onnx", name: "contract.1.norm.gamma")) {
            try MultiStyleNetwork(onnx: model, path: "m.onnx")
        }
    }

    /// HWC pixels as a `1 × 3 × H × W` tensor.
    private static func planar(_ pixels: [Float], width: Int, height: Int) -> Tensor {
        var planes = [Float](repeating: 0, count: pixels.count)
        for index in pixels.indices {
            let (channel, pixel) = (index % 3, index / 3)
            planes[channel * width * height + pixel] = pixels[index]
        }
        return Tensor(shape: Shape(1, 3, height, width), scalars: planes)
    }
}
