/// Hand-built protobuf bytes for the ONNX reader tests: each function writes one field, so a
/// fixture reads like the message it encodes and a test can break exactly one thing.
enum Proto {
    static func varint(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        return bytes + [UInt8(rest)]
    }

    static func key(_ field: Int, wireType: UInt64) -> [UInt8] { varint(UInt64(field) << 3 | wireType) }

    static func int(_ field: Int, _ value: Int64) -> [UInt8] { key(field, wireType: 0) + varint(UInt64(bitPattern: value)) }

    static func float(_ field: Int, _ value: Float) -> [UInt8] { key(field, wireType: 5) + littleEndian(value.bitPattern) }

    static func bytes(_ field: Int, _ payload: [UInt8]) -> [UInt8] {
        key(field, wireType: 2) + varint(UInt64(payload.count)) + payload
    }

    static func string(_ field: Int, _ text: String) -> [UInt8] { bytes(field, Array(text.utf8)) }

    static func packedInts(_ field: Int, _ values: [Int64]) -> [UInt8] {
        bytes(field, values.flatMap { varint(UInt64(bitPattern: $0)) })
    }

    static func packedFloats(_ field: Int, _ values: [Float]) -> [UInt8] {
        bytes(field, values.flatMap { littleEndian($0.bitPattern) })
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}

/// ONNX messages built from `Proto` fields, with the field numbers of `onnx.proto`.
enum ONNXFixture {
    static func tensor(_ name: String, dims: [Int64], dataType: Int64, raw: [UInt8]) -> [UInt8] {
        Proto.packedInts(1, dims) + Proto.int(2, dataType) + Proto.string(8, name) + Proto.bytes(9, raw)
    }

    static func floatTensor(_ name: String, dims: [Int64], _ values: [Float]) -> [UInt8] {
        Proto.packedInts(1, dims) + Proto.int(2, 1) + Proto.string(8, name) + Proto.packedFloats(4, values)
    }

    static func node(_ opType: String, name: String, inputs: [String], outputs: [String], attributes: [[UInt8]] = []) -> [UInt8] {
        inputs.flatMap { Proto.string(1, $0) } + outputs.flatMap { Proto.string(2, $0) }
            + Proto.string(3, name) + Proto.string(4, opType) + attributes.flatMap { Proto.bytes(5, $0) }
    }

    static func intAttribute(_ name: String, _ value: Int64) -> [UInt8] { Proto.string(1, name) + Proto.int(3, value) + Proto.int(20, 2) }
    static func floatAttribute(_ name: String, _ value: Float) -> [UInt8] { Proto.string(1, name) + Proto.float(2, value) + Proto.int(20, 1) }
    static func stringAttribute(_ name: String, _ value: String) -> [UInt8] { Proto.string(1, name) + Proto.string(4, value) + Proto.int(20, 3) }
    static func tensorAttribute(_ name: String, _ tensor: [UInt8]) -> [UInt8] { Proto.string(1, name) + Proto.bytes(5, tensor) + Proto.int(20, 4) }

    /// `ints` written unpacked (one key per value), the other legal form, to show both are read.
    static func intsAttribute(_ name: String, _ values: [Int64], packed: Bool = true) -> [UInt8] {
        let payload = packed ? Proto.packedInts(8, values) : values.flatMap { Proto.int(8, $0) }
        return Proto.string(1, name) + payload + Proto.int(20, 7)
    }

    /// A float tensor value info whose dims are numbers or, as strings, symbolic names.
    static func valueInfo(_ name: String, dims: [Any]) -> [UInt8] {
        let shape = dims.flatMap { dim in
            Proto.bytes(1, (dim as? Int).map { Proto.int(1, Int64($0)) } ?? Proto.string(2, "\(dim)"))
        }
        return Proto.string(1, name) + Proto.bytes(2, Proto.bytes(1, Proto.int(1, 1) + Proto.bytes(2, shape)))
    }

    /// A model whose graph is the last field, so every strict prefix of it lacks a whole graph.
    static func model(graph: [UInt8]) -> [UInt8] {
        Proto.int(1, 8) + Proto.string(2, "impasto-tests") + Proto.bytes(8, Proto.string(1, "") + Proto.int(2, 15))
            + Proto.bytes(7, graph)
    }

    /// A 1×1 convolution with int8 per-channel weights behind a `DequantizeLinear` (to be folded),
    /// an activation quantise/dequantise pair (to be kept), a constant and a resize.
    static let tinyGraph: [UInt8] = {
        let initializers = [
            tensor("w_q", dims: [2, 2, 1, 1], dataType: 3, raw: [1, 0xfe, 3, 0xfc]),
            floatTensor("w_scale", dims: [2], [0.5, 0.25]),
            Proto.packedInts(1, [2]) + Proto.int(2, 3) + Proto.string(8, "w_zero") + Proto.packedInts(5, [0, 1]),
            tensor("bias", dims: [2], dataType: 1, raw: Proto.littleEndian(Float(1.5).bitPattern) + Proto.littleEndian(Float(-2).bitPattern)),
            floatTensor("act_scale", dims: [], [0.125]),
            tensor("act_zero", dims: [], dataType: 3, raw: [0]),
        ]
        let nodes = [
            node("DequantizeLinear", name: "dq_w", inputs: ["w_q", "w_scale", "w_zero"], outputs: ["w"],
                 attributes: [intAttribute("axis", 0)]),
            node("Conv", name: "conv", inputs: ["x", "w", "bias"], outputs: ["y"],
                 attributes: [intsAttribute("kernel_shape", [1, 1]), intsAttribute("pads", [0, 0, 0, 0], packed: false),
                              intAttribute("group", 1)]),
            node("QuantizeLinear", name: "q", inputs: ["y", "act_scale", "act_zero"], outputs: ["yq"]),
            node("DequantizeLinear", name: "dq", inputs: ["yq", "act_scale", "act_zero"], outputs: ["z"]),
            node("Constant", name: "scales", inputs: [], outputs: ["s"],
                 attributes: [tensorAttribute("value", tensor("", dims: [4], dataType: 7,
                                                              raw: [1, 1, 2, 2].flatMap { Proto.littleEndian(Int64($0)) }))]),
            node("Resize", name: "up", inputs: ["z", "", "s"], outputs: ["out"],
                 attributes: [stringAttribute("mode", "nearest"), floatAttribute("cubic_coeff_a", -0.75)]),
        ]
        return nodes.flatMap { Proto.bytes(1, $0) } + Proto.string(2, "tiny")
            + initializers.flatMap { Proto.bytes(5, $0) }
            + Proto.bytes(11, valueInfo("x", dims: [1, 2, "h", "w"]))
            + Proto.bytes(12, valueInfo("out", dims: [1, 2, "2h", "2w"]))
    }()
}
