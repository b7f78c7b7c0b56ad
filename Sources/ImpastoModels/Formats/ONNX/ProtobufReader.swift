/// A strict reader of protobuf wire format over one byte range of a shared buffer.
///
/// Every length is checked against the bytes left in the range before anything is read or
/// allocated, so a lying length fails with `.lengthBeyondEnd` instead of crashing or allocating
/// what it claims. Groups (wire types 3 and 4) are refused: no ONNX field uses them.
struct ProtobufReader {
    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    struct Field {
        var number: Int
        var wireType: WireType
    }

    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, range: bytes.startIndex..<bytes.endIndex)
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var remaining: Int { end - position }

    /// The next field's key, or nil at the end of the range.
    mutating func nextField() throws(ProtobufError) -> Field? {
        guard position < end else { return nil }
        let key = try varint()
        let number = key >> 3
        guard number > 0, number <= 536_870_911 else { throw .invalidFieldNumber(key >> 3) }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else { throw .unknownWireType(Int(key & 7)) }
        return Field(number: Int(number), wireType: wireType)
    }

    /// A base-128 varint of at most ten bytes.
    mutating func varint() throws(ProtobufError) -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard position < end else { throw .truncated }
            let byte = bytes[position]
            position += 1
            guard shift < 63 || byte <= 1 else { throw .malformedVarint }
            value |= UInt64(byte & 0x7f) << UInt64(shift)
            if byte & 0x80 == 0 { return value }
        }
        throw .malformedVarint
    }

    mutating func fixed32() throws(ProtobufError) -> UInt32 {
        UInt32(truncatingIfNeeded: try littleEndian(byteCount: 4))
    }

    mutating func fixed64() throws(ProtobufError) -> UInt64 {
        try littleEndian(byteCount: 8)
    }

    /// The payload of a length-delimited field, as the range it occupies.
    mutating func lengthDelimited() throws(ProtobufError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(remaining) else { throw .lengthBeyondEnd(claimed: length, remaining: remaining) }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// A reader over the embedded message that comes next.
    mutating func message() throws(ProtobufError) -> ProtobufReader {
        ProtobufReader(bytes, range: try lengthDelimited())
    }

    mutating func byteSlice() throws(ProtobufError) -> ArraySlice<UInt8> {
        bytes[try lengthDelimited()]
    }

    /// A length-delimited UTF-8 string; invalid UTF-8 is refused rather than repaired.
    mutating func string() throws(ProtobufError) -> String {
        guard let text = String(validating: try byteSlice(), as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    /// Steps over a field's value without reading it.
    mutating func skip(_ wireType: WireType) throws(ProtobufError) {
        switch wireType {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try lengthDelimited()
        }
    }

    /// The values of a repeated scalar field, accepting both the packed form (one
    /// length-delimited run) and the plain form (one value per key), as protobuf requires.
    mutating func repeated<T>(_ wireType: WireType, element: WireType,
                              _ read: (inout ProtobufReader) throws(ProtobufError) -> T) throws(ProtobufError) -> [T] {
        if wireType == element { return [try read(&self)] }
        guard wireType == .lengthDelimited else { throw .unexpectedWireType(wireType.rawValue) }
        var packed = try message()
        var values: [T] = []
        while packed.remaining > 0 { values.append(try read(&packed)) }
        return values
    }

    /// Fails unless the field has the wire type its schema gives it.
    static func expect(_ field: Field, _ wireType: WireType) throws(ProtobufError) {
        guard field.wireType == wireType else { throw .unexpectedWireType(field.wireType.rawValue) }
    }

    /// The string of the first field `number` in the rest of this range, without moving; nil when
    /// absent or unreadable. Used to name a message in errors before it has been parsed.
    func peekString(field number: Int) -> String? {
        var copy = self
        while let field = try? copy.nextField() {
            if field.number == number, field.wireType == .lengthDelimited { return try? copy.string() }
            guard (try? copy.skip(field.wireType)) != nil else { return nil }
        }
        return nil
    }

    private mutating func littleEndian(byteCount: Int) throws(ProtobufError) -> UInt64 {
        guard remaining >= byteCount else { throw .truncated }
        var value: UInt64 = 0
        for offset in (0..<byteCount).reversed() { value = value << 8 | UInt64(bytes[position + offset]) }
        position += byteCount
        return value
    }
}

/// What is wrong with the bytes, before any ONNX meaning is attached.
enum ProtobufError: Error, Equatable {
    case truncated
    case lengthBeyondEnd(claimed: UInt64, remaining: Int)
    case malformedVarint
    case invalidFieldNumber(UInt64)
    case unknownWireType(Int)
    case unexpectedWireType(UInt8)
    case invalidUTF8
}
