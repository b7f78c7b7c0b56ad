extension ONNXReader {
    /// The `TensorProto.DataType` codes read: float 1, uint8 2, int8 3, int32 6, int64 7.
    enum ElementType: Int {
        case float32 = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7

        var byteCount: Int {
            switch self {
            case .uint8, .int8: 1
            case .float32, .int32: 4
            case .int64: 8
            }
        }
    }

    /// What a TensorProto carried, before its element type is known (fields come in any order).
    private struct TensorFields {
        var name = ""
        var dims: [Int64] = []
        var dataType: UInt64?
        var raw: ArraySlice<UInt8>?
        var floatData: [Float] = []
        var int32Data: [Int64] = []
        var int64Data: [Int64] = []
    }

    /// TensorProto: dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8,
    /// raw_data 9; skips doc_string 12 and metadata_props 16; refuses segments, strings,
    /// external data and the double/uint64 fields, which no element type read here uses.
    func tensor(_ message: ProtobufReader, at outer: String) throws -> ONNXTensor {
        let location = message.peekString(field: 8).map { "\(outer) '\($0)'" } ?? outer
        var reader = message
        var fields = TensorFields()
        try within(location) {
            while let field = try reader.nextField() {
                switch field.number {
                case 1: fields.dims += try reader.repeated(field.wireType, element: .varint, Self.int64)
                case 2:
                    try expect(field, .varint, at: location)
                    fields.dataType = try reader.varint()
                case 4:
                    fields.floatData += try reader.repeated(field.wireType, element: .fixed32) { reader throws(ProtobufError) in
                        Float(bitPattern: try reader.fixed32())
                    }
                case 5: fields.int32Data += try reader.repeated(field.wireType, element: .varint, Self.int64)
                case 7: fields.int64Data += try reader.repeated(field.wireType, element: .varint, Self.int64)
                case 8:
                    try expect(field, .lengthDelimited, at: location)
                    fields.name = try reader.string()
                case 9:
                    try expect(field, .lengthDelimited, at: location)
                    fields.raw = try reader.byteSlice()
                case 14:
                    try expect(field, .varint, at: location)
                    guard try reader.varint() == 0 else { throw failure(location, .unsupportedField("external data")) }
                case 12, 16: try reader.skip(field.wireType)
                case 3, 6, 10, 11, 13: throw failure(location, .unsupportedField("tensor field \(field.number)"))
                default: throw failure(location, .unknownField(field.number))
                }
            }
        }
        return try tensor(fields, at: location)
    }

    private static func int64(_ reader: inout ProtobufReader) throws(ProtobufError) -> Int64 {
        Int64(bitPattern: try reader.varint())
    }

    private func tensor(_ fields: TensorFields, at location: String) throws -> ONNXTensor {
        guard let code = fields.dataType else { throw failure(location, .missingField("data_type")) }
        guard let type = ElementType(rawValue: Int(clamping: code)) else {
            throw failure(location, .unsupportedDataType(Int(clamping: code)))
        }
        let dims = try fields.dims.map { dim in
            guard dim >= 0, dim <= Int64(Int32.max) else { throw failure(location, .invalidValue("dimension \(dim)")) }
            return Int(dim)
        }
        let count = try elementCount(dims, at: location)
        let values = try values(of: type, count: count, from: fields, at: location)
        return ONNXTensor(name: fields.name, dims: dims, values: values)
    }

    /// The product of the dims, refusing one that overflows; it is only ever compared with
    /// what the file holds, never used to allocate.
    private func elementCount(_ dims: [Int], at location: String) throws -> Int {
        try dims.reduce(1) { product, dim in
            let (result, overflow) = product.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw failure(location, .invalidValue("the dims \(dims) overflow")) }
            return result
        }
    }

    /// The elements from `raw_data` or from the one typed field the element type uses; exactly one
    /// source must be present (or none, for an empty tensor) and hold exactly `count` elements.
    private func values(of type: ElementType, count: Int, from fields: TensorFields, at location: String) throws -> ONNXTensor.Values {
        let typedCounts = [fields.floatData.count, fields.int32Data.count, fields.int64Data.count]
        if let raw = fields.raw {
            guard typedCounts.allSatisfy({ $0 == 0 }) else { throw failure(location, .invalidValue("has both raw_data and typed data")) }
            guard raw.count % type.byteCount == 0, raw.count / type.byteCount == count else {
                throw failure(location, .elementCountMismatch(expected: count, found: raw.count / type.byteCount))
            }
            return decode(raw, as: type)
        }
        let usedField: Int = switch type {
        case .float32: 0
        case .uint8, .int8, .int32: 1
        case .int64: 2
        }
        for (index, found) in typedCounts.enumerated() where index != usedField && found > 0 {
            throw failure(location, .invalidValue("has typed data in a field its element type does not use"))
        }
        guard typedCounts[usedField] == count else {
            throw failure(location, .elementCountMismatch(expected: count, found: typedCounts[usedField]))
        }
        return try narrowed(fields, as: type, at: location)
    }

    private func narrowed(_ fields: TensorFields, as type: ElementType, at location: String) throws -> ONNXTensor.Values {
        func checked<T: FixedWidthInteger>(_ values: [Int64], as _: T.Type) throws -> [T] {
            try values.map { value in
                guard let narrow = T(exactly: value) else { throw failure(location, .invalidValue("\(value) does not fit the element type")) }
                return narrow
            }
        }
        switch type {
        case .float32: return .float32(fields.floatData)
        case .uint8: return .uint8(try checked(fields.int32Data, as: UInt8.self))
        case .int8: return .int8(try checked(fields.int32Data, as: Int8.self))
        case .int32: return .int32(try checked(fields.int32Data, as: Int32.self))
        case .int64: return .int64(fields.int64Data)
        }
    }

    /// Little-endian raw bytes as typed elements (the size was checked by the caller).
    private func decode(_ raw: ArraySlice<UInt8>, as type: ElementType) -> ONNXTensor.Values {
        switch type {
        case .uint8: return .uint8(Array(raw))
        case .int8: return .int8(raw.map { Int8(bitPattern: $0) })
        case .float32: return .float32(littleEndian(raw, as: UInt32.self).map(Float.init(bitPattern:)))
        case .int32: return .int32(littleEndian(raw, as: UInt32.self).map { Int32(bitPattern: $0) })
        case .int64: return .int64(littleEndian(raw, as: UInt64.self).map { Int64(bitPattern: $0) })
        }
    }

    private func littleEndian<T: FixedWidthInteger>(_ raw: ArraySlice<UInt8>, as _: T.Type) -> [T] {
        raw.withUnsafeBytes { buffer in
            (0..<buffer.count / MemoryLayout<T>.size).map { index in
                T(littleEndian: buffer.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))
            }
        }
    }
}
