import Foundation

extension ONNXModel {
    /// Reads an ONNX file, refusing (with an `ONNXError`) anything malformed or beyond what
    /// the style networks use, rather than guessing.
    public static func read(contentsOf url: URL) throws -> ONNXModel {
        try ONNXModel(bytes: readBytes(of: url), file: url.path)
    }

    /// Parses the bytes of an ONNX file; `file` names it in errors.
    public init(bytes: [UInt8], file: String) throws {
        self = try ONNXReader(file: file).model(ProtobufReader(bytes))
    }
}

/// The field-by-field reading of `onnx.proto`. Each message lists the fields it reads, the
/// fields it knowingly skips (documentation and metadata), and refuses every other field, so a
/// file from a newer or different format fails loudly instead of being half-understood.
struct ONNXReader {
    let file: String

    func failure(_ location: String, _ problem: ONNXError.Problem) -> ONNXError {
        ONNXError(file: file, location: location, problem: problem)
    }

    /// Runs `body`, giving any wire-format error the location of the message being read.
    func within<T>(_ location: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ProtobufError {
            throw ONNXError(file: file, location: location, error)
        }
    }

    func expect(_ field: ProtobufReader.Field, _ wireType: ProtobufReader.WireType, at location: String) throws {
        guard field.wireType == wireType else { throw failure(location, .unexpectedWireType(Int(field.wireType.rawValue))) }
    }

    /// ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8; skips producer_version 3,
    /// domain 4, model_version 5, doc_string 6, metadata_props 14.
    func model(_ message: ProtobufReader) throws -> ONNXModel {
        var reader = message
        var irVersion: Int64?
        var producer = ""
        var graph: ONNXGraph?
        var opsets: [String: Int64] = [:]
        try within("model") {
            while let field = try reader.nextField() {
                switch field.number {
                case 1:
                    try expect(field, .varint, at: "model.ir_version")
                    irVersion = Int64(bitPattern: try reader.varint())
                case 2:
                    try expect(field, .lengthDelimited, at: "model.producer_name")
                    producer = try reader.string()
                case 7:
                    try expect(field, .lengthDelimited, at: "model.graph")
                    graph = try self.graph(try reader.message())
                case 8:
                    try expect(field, .lengthDelimited, at: "model.opset_import")
                    let (domain, version) = try opset(try reader.message(), at: "model.opset_import[\(opsets.count)]")
                    opsets[domain] = version
                case 3, 4, 5, 6, 14: try reader.skip(field.wireType)
                case 20: throw failure("model", .unsupportedField("training_info"))
                case 25: throw failure("model", .unsupportedField("functions"))
                default: throw failure("model", .unknownField(field.number))
                }
            }
        }
        guard let irVersion else { throw failure("model", .missingField("ir_version")) }
        guard let graph else { throw failure("model", .missingField("graph")) }
        return ONNXModel(irVersion: irVersion, opsets: opsets, producer: producer, graph: graph)
    }

    /// OperatorSetIdProto: domain 1, version 2.
    private func opset(_ message: ProtobufReader, at location: String) throws -> (String, Int64) {
        var reader = message
        var domain = ""
        var version: Int64?
        try within(location) {
            while let field = try reader.nextField() {
                switch field.number {
                case 1:
                    try expect(field, .lengthDelimited, at: location)
                    domain = try reader.string()
                case 2:
                    try expect(field, .varint, at: location)
                    version = Int64(bitPattern: try reader.varint())
                default: throw failure(location, .unknownField(field.number))
                }
            }
        }
        guard let version else { throw failure(location, .missingField("version")) }
        return (domain, version)
    }

    /// GraphProto: node 1, name 2, initializer 5, input 11, output 12; skips doc_string 10,
    /// value_info 13 (intermediate shapes, recomputed at run time), quantization_annotation 14,
    /// metadata_props 16.
    func graph(_ message: ProtobufReader) throws -> ONNXGraph {
        var reader = message
        var name = ""
        var nodes: [ONNXNode] = []
        var initializers: [String: ONNXTensor] = [:]
        var inputs: [ONNXValueInfo] = []
        var outputs: [ONNXValueInfo] = []
        try within("graph") {
            while let field = try reader.nextField() {
                switch field.number {
                case 1:
                    try expect(field, .lengthDelimited, at: "graph.node")
                    nodes.append(try node(try reader.message(), index: nodes.count))
                case 2:
                    try expect(field, .lengthDelimited, at: "graph.name")
                    name = try reader.string()
                case 5:
                    try expect(field, .lengthDelimited, at: "graph.initializer")
                    let tensor = try tensor(try reader.message(), at: "graph.initializer[\(initializers.count)]")
                    guard initializers.updateValue(tensor, forKey: tensor.name) == nil else {
                        throw failure("graph.initializer", .duplicateName(tensor.name))
                    }
                case 11:
                    try expect(field, .lengthDelimited, at: "graph.input")
                    inputs.append(try valueInfo(try reader.message(), at: "graph.input[\(inputs.count)]"))
                case 12:
                    try expect(field, .lengthDelimited, at: "graph.output")
                    outputs.append(try valueInfo(try reader.message(), at: "graph.output[\(outputs.count)]"))
                case 10, 13, 14, 16: try reader.skip(field.wireType)
                case 15: throw failure("graph", .unsupportedField("sparse_initializer"))
                default: throw failure("graph", .unknownField(field.number))
                }
            }
        }
        let graph = ONNXGraph(name: name, nodes: nodes, initializers: initializers,
                              inputs: inputs.filter { initializers[$0.name] == nil }, outputs: outputs,
                              foldedDequantizations: 0)
        return try foldingConstantDequantization(graph)
    }
}
