extension ONNXReader {
    /// ValueInfoProto: name 1, type 2; skips doc_string 3 and metadata_props 4.
    func valueInfo(_ message: ProtobufReader, at outer: String) throws -> ONNXValueInfo {
        let location = message.peekString(field: 1).map { "\(outer) '\($0)'" } ?? outer
        var reader = message
        var info = ONNXValueInfo(name: "", elementType: 0, dims: nil)
        var typed = false
        try within(location) {
            while let field = try reader.nextField() {
                switch field.number {
                case 1:
                    try expect(field, .lengthDelimited, at: location)
                    info.name = try reader.string()
                case 2:
                    try expect(field, .lengthDelimited, at: location)
                    (info.elementType, info.dims) = try tensorType(try reader.message(), at: location)
                    typed = true
                case 3, 4: try reader.skip(field.wireType)
                default: throw failure(location, .unknownField(field.number))
                }
            }
        }
        guard typed else { throw failure(location, .missingField("type")) }
        return info
    }

    /// TypeProto holding a tensor_type 1 (elem_type 1, shape 2); skips denotation 6; refuses
    /// sequences, maps, optionals and sparse tensors.
    private func tensorType(_ message: ProtobufReader, at location: String) throws -> (Int, [ONNXValueInfo.Dimension]?) {
        var reader = message
        var result: (Int, [ONNXValueInfo.Dimension]?)?
        while let field = try reader.nextField() {
            switch field.number {
            case 1:
                try expect(field, .lengthDelimited, at: location)
                var tensor = try reader.message()
                var elementType: UInt64?
                var dims: [ONNXValueInfo.Dimension]?
                while let inner = try tensor.nextField() {
                    switch inner.number {
                    case 1:
                        try expect(inner, .varint, at: location)
                        elementType = try tensor.varint()
                    case 2:
                        try expect(inner, .lengthDelimited, at: location)
                        dims = try shape(try tensor.message(), at: location)
                    default: throw failure(location, .unknownField(inner.number))
                    }
                }
                guard let elementType else { throw failure(location, .missingField("elem_type")) }
                result = (Int(clamping: elementType), dims)
            case 6: try reader.skip(field.wireType)
            case 4, 5, 8, 9: throw failure(location, .unsupportedField("non-tensor type"))
            default: throw failure(location, .unknownField(field.number))
            }
        }
        guard let result else { throw failure(location, .missingField("tensor_type")) }
        return result
    }

    /// TensorShapeProto: dim 1, each with dim_value 1 or dim_param 2; skips denotation 3.
    private func shape(_ message: ProtobufReader, at location: String) throws -> [ONNXValueInfo.Dimension] {
        var reader = message
        var dims: [ONNXValueInfo.Dimension] = []
        while let field = try reader.nextField() {
            guard field.number == 1 else { throw failure(location, .unknownField(field.number)) }
            try expect(field, .lengthDelimited, at: location)
            var dimension = try reader.message()
            var value = ONNXValueInfo.Dimension.unknown
            while let inner = try dimension.nextField() {
                switch inner.number {
                case 1:
                    try expect(inner, .varint, at: location)
                    value = .fixed(Int64(bitPattern: try dimension.varint()))
                case 2:
                    try expect(inner, .lengthDelimited, at: location)
                    value = .named(try dimension.string())
                case 3: try dimension.skip(inner.wireType)
                default: throw failure(location, .unknownField(inner.number))
                }
            }
            dims.append(value)
        }
        return dims
    }
}
