extension ONNXReader {
    /// The operators of the default domain that the three style networks use; a node with any
    /// other operator is refused when read, because Impasto could not run it.
    static let knownOperators: Set<String> = [
        "Add", "Cast", "Clip", "Concat", "Constant", "ConstantOfShape", "Conv", "DequantizeLinear", "Div",
        "GlobalAveragePool", "Mul", "Pad", "Pow", "QuantizeLinear", "Reciprocal", "ReduceMean", "ReduceSum",
        "Relu", "Reshape", "Resize", "Sigmoid", "Slice", "Sqrt", "Sub", "Transpose", "Unsqueeze",
    ]

    /// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7; skips doc_string 6,
    /// overload 8, metadata_props 9.
    func node(_ message: ProtobufReader, index: Int) throws -> ONNXNode {
        let label = [message.peekString(field: 3).map { "'\($0)'" }, message.peekString(field: 4).map { "(\($0))" }]
        let location = (["graph.node[\(index)]"] + label.compactMap { $0 }).joined(separator: " ")
        var reader = message
        var node = ONNXNode(name: "", opType: "", domain: "", inputs: [], outputs: [], attributes: [:])
        try within(location) {
            while let field = try reader.nextField() {
                switch field.number {
                case 1, 2, 3, 4, 7:
                    try expect(field, .lengthDelimited, at: location)
                    let text = try reader.string()
                    switch field.number {
                    case 1: node.inputs.append(text)
                    case 2: node.outputs.append(text)
                    case 3: node.name = text
                    case 4: node.opType = text
                    default: node.domain = text
                    }
                case 5:
                    try expect(field, .lengthDelimited, at: location)
                    let (name, value) = try attribute(try reader.message(), at: "\(location).attribute[\(node.attributes.count)]")
                    guard node.attributes.updateValue(value, forKey: name) == nil else {
                        throw failure(location, .duplicateName("attribute \(name)"))
                    }
                case 6, 8, 9: try reader.skip(field.wireType)
                default: throw failure(location, .unknownField(field.number))
                }
            }
        }
        guard ["", "ai.onnx"].contains(node.domain), Self.knownOperators.contains(node.opType) else {
            throw failure(location, .unknownOperator(domain: node.domain, opType: node.opType))
        }
        return node
    }

    /// AttributeProto: name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, type 20; skips doc_string 13.
    /// The value must be the one `type` names; graphs, sparse tensors, type protos and the
    /// plural string/tensor/graph forms are refused.
    private func attribute(_ message: ProtobufReader, at outer: String) throws -> (String, ONNXAttribute) {
        let location = message.peekString(field: 1).map { "\(outer) '\($0)'" } ?? outer
        var reader = message
        var name: String?
        var type: UInt64?
        var values: [Int: ONNXAttribute] = [:]
        try within(location) {
            while let field = try reader.nextField() {
                switch field.number {
                case 1:
                    try expect(field, .lengthDelimited, at: location)
                    name = try reader.string()
                case 20:
                    try expect(field, .varint, at: location)
                    type = try reader.varint()
                case 2:
                    try expect(field, .fixed32, at: location)
                    values[1] = .float(Float(bitPattern: try reader.fixed32()))
                case 3:
                    try expect(field, .varint, at: location)
                    values[2] = .int(Int64(bitPattern: try reader.varint()))
                case 4:
                    try expect(field, .lengthDelimited, at: location)
                    values[3] = .string(try reader.string())
                case 5:
                    try expect(field, .lengthDelimited, at: location)
                    values[4] = .tensor(try tensor(try reader.message(), at: "\(location).t"))
                case 7:
                    let floats = try reader.repeated(field.wireType, element: .fixed32) { reader throws(ProtobufError) in
                        Float(bitPattern: try reader.fixed32())
                    }
                    values[6] = .floats((values[6].flatMap(\.floatList) ?? []) + floats)
                case 8:
                    let ints = try reader.repeated(field.wireType, element: .varint) { reader throws(ProtobufError) in
                        Int64(bitPattern: try reader.varint())
                    }
                    values[7] = .ints((values[7].flatMap(\.intList) ?? []) + ints)
                case 13: try reader.skip(field.wireType)
                case 6, 9, 10, 11, 14, 15, 21, 22, 23:
                    throw failure(location, .unsupportedField("attribute field \(field.number)"))
                default: throw failure(location, .unknownField(field.number))
                }
            }
        }
        guard let name else { throw failure(location, .missingField("name")) }
        guard let type else { throw failure(location, .missingField("type")) }
        guard [1, 2, 3, 4, 6, 7].contains(type) else { throw failure(location, .unsupportedAttributeType(Int(type))) }
        let otherValues = values.keys.filter { $0 != Int(type) }
        guard otherValues.isEmpty else {
            throw failure(location, .invalidValue("holds a value of type \(otherValues[0]) but declares type \(type)"))
        }
        if let value = values[Int(type)] { return (name, value) }
        // An empty list has no value field at all; a singular value must be present.
        switch type {
        case 6: return (name, .floats([]))
        case 7: return (name, .ints([]))
        default: throw failure(location, .missingField("value"))
        }
    }
}

private extension ONNXAttribute {
    var floatList: [Float]? {
        if case .floats(let values) = self { return values }
        return nil
    }

    var intList: [Int64]? {
        if case .ints(let values) = self { return values }
        return nil
    }
}
