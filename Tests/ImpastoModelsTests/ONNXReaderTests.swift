import Foundation
import ImpastoCore
import ImpastoModels
import Testing

@Suite("ONNX reader")
struct ONNXReaderTests {
    private let file = "tiny.onnx"

    private func read(_ bytes: [UInt8]) throws -> ONNXModel { try ONNXModel(bytes: bytes, file: file) }

    /// The problem a refused file is reported with; fails the test if the file was accepted.
    private func problem(reading bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> ONNXError? {
        #expect(throws: ONNXError.self, sourceLocation: sourceLocation) { try read(bytes) }
    }

    @Test func readsTheModelHeaderInputsAndOutputs() throws {
        let model = try read(ONNXFixture.model(graph: ONNXFixture.tinyGraph))
        #expect(model.irVersion == 8)
        #expect(model.opsets == ["": 15])
        #expect(model.producer == "impasto-tests")
        #expect(model.graph.name == "tiny")
        #expect(model.graph.inputs == [ONNXValueInfo(name: "x", elementType: 1, dims: [.fixed(1), .fixed(2), .named("h"), .named("w")])])
        #expect(model.graph.outputs.map(\.name) == ["out"])
    }

    @Test func readsNodesAndEveryAttributeType() throws {
        let graph = try read(ONNXFixture.model(graph: ONNXFixture.tinyGraph)).graph
        #expect(graph.nodes.map(\.name) == ["conv", "q", "dq", "scales", "up"])
        let conv = graph.nodes[0]
        #expect(conv.inputs == ["x", "w", "bias"] && conv.outputs == ["y"])
        #expect(conv.attributes == ["kernel_shape": .ints([1, 1]), "pads": .ints([0, 0, 0, 0]), "group": .int(1)])
        #expect(graph.nodes[4].inputs == ["z", "", "s"])
        #expect(graph.nodes[4].attributes == ["mode": .string("nearest"), "cubic_coeff_a": .float(-0.75)])
        #expect(graph.nodes[3].attributes["value"] == .tensor(ONNXTensor(name: "", dims: [4], values: .int64([1, 1, 2, 2]))))
    }

    @Test func foldsTheDequantisationOfConstantWeightsPerChannel() throws {
        let graph = try read(ONNXFixture.model(graph: ONNXFixture.tinyGraph)).graph
        // (q - zero) * scale along axis 0: [1, -2] with zero 0, scale 0.5; [3, -4] with zero 1, scale 0.25.
        #expect(graph.initializers["w"] == ONNXTensor(name: "w", dims: [2, 2, 1, 1], values: .float32([0.5, -1, 0.5, -1.25])))
        #expect(graph.initializers["bias"]?.floats == [1.5, -2])
        #expect(graph.foldedDequantizations == 1)
        #expect(graph.activationQuantizationNodes == 2)
        #expect(Set(graph.initializers.keys) == ["w", "bias", "act_scale", "act_zero"], "the int8 weight and its scale are dropped")
        #expect(graph.initializers["act_zero"]?.values == .int8([0]))
    }

    @Test func refusesEveryTruncationOfAValidFile() throws {
        let bytes = ONNXFixture.model(graph: ONNXFixture.tinyGraph)
        for length in 0..<bytes.count {
            #expect(throws: ONNXError.self, "cut at \(length) of \(bytes.count) bytes") { try read(Array(bytes[..<length])) }
        }
    }

    /// Corrupted bytes either still parse or are refused with an `ONNXError`; nothing traps.
    @Test func survivesRandomCorruption() {
        let bytes = ONNXFixture.model(graph: ONNXFixture.tinyGraph)
        var generator = SeededGenerator(seed: 20)
        var refused = 0
        for _ in 0..<2_000 {
            var corrupted = bytes
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                corrupted[Int.random(in: 0..<corrupted.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do {
                _ = try read(corrupted)
            } catch {
                #expect(error is ONNXError, "\(error)")
                refused += 1
            }
        }
        #expect(refused > 1_000)
    }

    @Test func refusesALyingLengthWithoutAllocatingIt() {
        let lie = Proto.key(9, wireType: 2) + Proto.varint(1 << 40) + [1, 2, 3, 4]
        let tensor = Proto.packedInts(1, [1]) + Proto.int(2, 1) + Proto.string(8, "huge") + lie
        let error = problem(reading: ONNXFixture.model(graph: Proto.bytes(5, tensor)))
        #expect(error?.problem == .lengthBeyondEnd(claimed: 1 << 40, remaining: 4))
        #expect(error?.location == "graph.initializer[0] 'huge'")
    }

    @Test func refusesAnUnknownWireType() {
        let node = ONNXFixture.node("Relu", name: "act", inputs: ["x"], outputs: ["y"]) + Proto.key(3, wireType: 6)
        let error = problem(reading: ONNXFixture.model(graph: Proto.bytes(1, node)))
        #expect(error?.problem == .unknownWireType(6))
        #expect(error?.location == "graph.node[0] 'act' (Relu)")
    }

    @Test(arguments: [10, 8, 99])
    func refusesAnElementTypeItDoesNotRead(dataType: Int64) {
        let tensor = ONNXFixture.tensor("half", dims: [2], dataType: dataType, raw: [0, 0, 0, 0])
        #expect(problem(reading: ONNXFixture.model(graph: Proto.bytes(5, tensor)))?.problem == .unsupportedDataType(Int(dataType)))
    }

    @Test func refusesAnUnknownOperator() {
        let node = ONNXFixture.node("Gemm", name: "fc", inputs: ["a", "b"], outputs: ["c"])
        #expect(problem(reading: ONNXFixture.model(graph: Proto.bytes(1, node)))?.problem == .unknownOperator(domain: "", opType: "Gemm"))
    }

    @Test func refusesAnUnknownField() {
        #expect(problem(reading: ONNXFixture.model(graph: Proto.int(99, 1)))?.problem == .unknownField(99))
    }

    @Test func refusesDataThatDoesNotFillTheShape() {
        let tensor = ONNXFixture.tensor("short", dims: [3], dataType: 1, raw: Array(repeating: 0, count: 8))
        #expect(problem(reading: ONNXFixture.model(graph: Proto.bytes(5, tensor)))?.problem == .elementCountMismatch(expected: 3, found: 2))
    }

    @Test func refusesAnAttributeOfAnUnsupportedType() {
        let graphAttribute = Proto.string(1, "body") + Proto.int(20, 5)
        let node = ONNXFixture.node("Relu", name: "act", inputs: ["x"], outputs: ["y"], attributes: [graphAttribute])
        let error = problem(reading: ONNXFixture.model(graph: Proto.bytes(1, node)))
        #expect(error?.problem == .unsupportedAttributeType(5))
        #expect(error?.location == "graph.node[0] 'act' (Relu).attribute[0] 'body'")
    }

    @Test func namesTheFileAndTheNodeOnOneLine() {
        let node = ONNXFixture.node("Gemm", name: "fc", inputs: ["a"], outputs: ["c"])
        let message = problem(reading: ONNXFixture.model(graph: Proto.bytes(1, node)))?.description ?? ""
        #expect(message == "tiny.onnx: graph.node[0] 'fc' (Gemm): unknown operator Gemm")
    }
}
