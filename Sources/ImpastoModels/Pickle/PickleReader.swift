/// Why a pickle stream was rejected.
public enum PickleError: Error, Equatable, CustomStringConvertible {
    case truncated(offset: Int)
    case unsupportedOpcode(UInt8, offset: Int)
    case disallowedGlobal(String)
    case malformed(String, offset: Int)

    public var description: String {
        switch self {
        case .truncated(let offset): "pickle data ends early at byte \(offset)"
        case .unsupportedOpcode(let code, let offset):
            "pickle opcode 0x\(String(code, radix: 16)) at byte \(offset) is not one a PyTorch checkpoint uses"
        case .disallowedGlobal(let name): "pickle refers to \(name), which Impasto does not load"
        case .malformed(let what, let offset): "malformed pickle at byte \(offset): \(what)"
        }
    }
}

/// A strict reader for the pickle records in PyTorch checkpoint files (protocol 2, plus the few
/// protocol-4 string opcodes newer files use).
///
/// It understands only the opcodes those files contain and evaluates only the calls they make
/// (`collections.OrderedDict()`, `torch._utils._rebuild_tensor_v2(...)`,
/// `torch._utils._rebuild_parameter(...)`); anything else is rejected. Nothing is executed.
public struct PickleReader {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Object slots: containers are shared by reference, so a dict memoised while empty and
    /// filled later is seen filled wherever the memo hands it out, as in Python.
    ///
    /// Each slot knows how deeply its value nests containers: a few hundred bytes of nested lists
    /// would otherwise build a value whose traversal (and release) overflows the stack.
    private final class Slot {
        var value: PickleValue
        var depth: Int
        init(_ value: PickleValue, holding items: [Slot] = []) {
            self.value = value
            depth = Self.depth(holding: items)
        }

        static func depth(holding items: [Slot]) -> Int { 1 + (items.map(\.depth).max() ?? 0) }
    }

    /// How deeply containers may nest: far beyond a checkpoint's few levels, far below the stack.
    static let maximumDepth = 1000

    private static let allowedGlobals: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch.FloatStorage", "torch.HalfStorage", "torch.ByteStorage", "torch.LongStorage",
    ]

    /// Reads one pickle record (up to its STOP opcode) and returns its value.
    public mutating func readRecord() throws -> PickleValue {
        var stack: [Slot] = []
        var marks: [Int] = []
        var memo: [Int: Slot] = [:]

        func pop() throws -> Slot {
            guard let top = stack.popLast() else { throw PickleError.malformed("stack underflow", offset: offset) }
            return top
        }
        func popToMark() throws -> [Slot] {
            guard let mark = marks.popLast(), mark <= stack.count else {
                throw PickleError.malformed("no mark", offset: offset)
            }
            defer { stack.removeSubrange(mark...) }
            return Array(stack[mark...])
        }
        func checkedDepth(_ slot: Slot, at opcodeOffset: Int) throws -> Slot {
            guard slot.depth <= Self.maximumDepth else {
                throw PickleError.malformed("containers nested deeper than \(Self.maximumDepth) levels", offset: opcodeOffset)
            }
            return slot
        }

        while true {
            let opcodeOffset = offset
            let opcode = try readByte()
            switch opcode {
            case 0x80: _ = try readByte()                                     // PROTO
            case UInt8(ascii: "."): return try pop().value                     // STOP
            case UInt8(ascii: "N"): stack.append(Slot(.none))
            case 0x88: stack.append(Slot(.bool(true)))
            case 0x89: stack.append(Slot(.bool(false)))
            case UInt8(ascii: "K"): stack.append(Slot(.int(Int(try readByte()))))
            case UInt8(ascii: "M"): stack.append(Slot(.int(Int(try readLittleEndian(2)))))
            case UInt8(ascii: "J"): stack.append(Slot(.int(Int(Int32(truncatingIfNeeded: try readLittleEndian(4))))))
            case 0x8a: stack.append(Slot(try readLong(byteCount: Int(try readByte()))))       // LONG1
            case UInt8(ascii: "G"):                                            // BINFLOAT, big-endian
                stack.append(Slot(.float(Double(bitPattern: UInt64(bigEndian: UInt64(littleEndian: try readLittleEndian(8)))))))
            case UInt8(ascii: "X"): stack.append(Slot(.string(try readString(count: Int(try readLittleEndian(4))))))
            case 0x8c: stack.append(Slot(.string(try readString(count: Int(try readByte())))))  // SHORT_BINUNICODE
            case UInt8(ascii: "}"): stack.append(Slot(.dictionary([])))
            case UInt8(ascii: "]"): stack.append(Slot(.list([])))
            case UInt8(ascii: ")"): stack.append(Slot(.tuple([])))
            case UInt8(ascii: "("): marks.append(stack.count)
            case UInt8(ascii: "t"):
                let items = try popToMark()
                stack.append(try checkedDepth(Slot(.tuple(items.map(\.value)), holding: items), at: opcodeOffset))
            case 0x85, 0x86, 0x87:                                             // TUPLE1, TUPLE2, TUPLE3
                let count = Int(opcode - 0x84)
                guard stack.count >= count else { throw PickleError.malformed("stack underflow", offset: opcodeOffset) }
                let items = Array(stack.suffix(count))
                stack.removeLast(count)
                stack.append(try checkedDepth(Slot(.tuple(items.map(\.value)), holding: items), at: opcodeOffset))
            case UInt8(ascii: "u"), UInt8(ascii: "s"):                         // SETITEMS, SETITEM
                let items = opcode == UInt8(ascii: "u") ? try popToMark() : try { let v = try pop(); let k = try pop(); return [k, v] }()
                try append(items.map(\.value), toDictionary: stack.last, at: opcodeOffset)
                if let target = stack.last { target.depth = max(target.depth, Slot.depth(holding: items)) }
                _ = try stack.last.map { try checkedDepth($0, at: opcodeOffset) }
            case UInt8(ascii: "e"), UInt8(ascii: "a"):                         // APPENDS, APPEND
                let items = opcode == UInt8(ascii: "e") ? try popToMark() : [try pop()]
                guard let list = stack.last, case .list(let existing) = list.value else {
                    throw PickleError.malformed("append to a non-list", offset: opcodeOffset)
                }
                list.value = .list(existing + items.map(\.value))
                list.depth = max(list.depth, Slot.depth(holding: items))
                _ = try checkedDepth(list, at: opcodeOffset)
            case UInt8(ascii: "q"): memo[Int(try readByte())] = try top(stack)
            case UInt8(ascii: "r"): memo[Int(try readLittleEndian(4))] = try top(stack)
            case UInt8(ascii: "h"), UInt8(ascii: "j"):
                let key = opcode == UInt8(ascii: "h") ? Int(try readByte()) : Int(try readLittleEndian(4))
                guard let slot = memo[key] else { throw PickleError.malformed("unknown memo \(key)", offset: opcodeOffset) }
                stack.append(slot)
            case UInt8(ascii: "c"):
                let name = "\(try readLine()).\(try readLine())"
                guard Self.allowedGlobals.contains(name) else { throw PickleError.disallowedGlobal(name) }
                let dot = name.lastIndex(of: ".")!
                stack.append(Slot(.global(module: String(name[..<dot]), name: String(name[name.index(after: dot)...]))))
            case UInt8(ascii: "Q"): stack.append(Slot(try persistentLoad(try pop().value, at: opcodeOffset)))
            case UInt8(ascii: "R"):
                let arguments = try pop().value
                let callable = try pop().value
                stack.append(Slot(try call(callable, arguments, at: opcodeOffset)))
            case UInt8(ascii: "b"):                                            // BUILD: OrderedDict metadata only
                _ = try pop()
                guard let target = stack.last, case .dictionary = target.value else {
                    throw PickleError.malformed("BUILD on something other than an OrderedDict", offset: opcodeOffset)
                }
            default: throw PickleError.unsupportedOpcode(opcode, offset: opcodeOffset)
            }
        }
    }

    private func top(_ stack: [Slot]) throws -> Slot {
        guard let last = stack.last else { throw PickleError.malformed("memo of an empty stack", offset: offset) }
        return last
    }

    private func append(_ items: [PickleValue], toDictionary slot: Slot?, at offset: Int) throws {
        guard let slot, case .dictionary(var entries) = slot.value, items.count % 2 == 0 else {
            throw PickleError.malformed("set item on a non-dict", offset: offset)
        }
        for index in stride(from: 0, to: items.count, by: 2) { entries.append((items[index], items[index + 1])) }
        slot.value = .dictionary(entries)
    }

    private func persistentLoad(_ id: PickleValue, at offset: Int) throws -> PickleValue {
        guard let parts = id.elements, parts.count == 5 || (parts.count == 6 && parts[5] == .none),
              parts[0].string == "storage",
              case .global(_, let typeName) = parts[1], let type = StorageType(rawValue: typeName),
              let key = parts[2].string, let count = parts[4].int
        else { throw PickleError.malformed("unsupported persistent id", offset: offset) }
        return .storage(StorageReference(type: type, key: key, count: count))
    }

    private func call(_ callable: PickleValue, _ arguments: PickleValue, at offset: Int) throws -> PickleValue {
        guard case .global(let module, let name) = callable, let args = arguments.elements else {
            throw PickleError.malformed("call of a non-global", offset: offset)
        }
        switch (module, name) {
        case ("collections", "OrderedDict") where args.isEmpty:
            return .dictionary([])
        case ("torch._utils", "_rebuild_tensor_v2"):
            guard args.count >= 4, case .storage(let storage) = args[0], let start = args[1].int,
                  let shape = args[2].elements?.compactMap(\.int), let strides = args[3].elements?.compactMap(\.int),
                  shape.count == strides.count
            else { throw PickleError.malformed("bad _rebuild_tensor_v2 arguments", offset: offset) }
            return .tensor(TensorReference(storage: storage, offset: start, shape: shape, strides: strides))
        case ("torch._utils", "_rebuild_parameter"):
            guard let data = args.first, case .tensor = data else {
                throw PickleError.malformed("bad _rebuild_parameter arguments", offset: offset)
            }
            return data
        default:
            throw PickleError.disallowedGlobal("\(module).\(name) called this way")
        }
    }

    // MARK: Raw reads

    private mutating func readByte() throws -> UInt8 {
        guard offset < bytes.count else { throw PickleError.truncated(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func readLittleEndian(_ count: Int) throws -> UInt64 {
        guard offset + count <= bytes.count else { throw PickleError.truncated(offset: offset) }
        var value: UInt64 = 0
        for index in (0..<count).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        offset += count
        return value
    }

    private mutating func readString(count: Int) throws -> String {
        guard count >= 0, offset + count <= bytes.count else { throw PickleError.truncated(offset: offset) }
        defer { offset += count }
        guard let string = String(validating: bytes[offset..<offset + count], as: UTF8.self) else {
            throw PickleError.malformed("string is not UTF-8", offset: offset)
        }
        return string
    }

    private mutating func readLine() throws -> String {
        guard let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) else { throw PickleError.truncated(offset: offset) }
        defer { offset = end + 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    /// LONG1: a little-endian two's-complement integer of `byteCount` bytes.
    private mutating func readLong(byteCount: Int) throws -> PickleValue {
        guard offset + byteCount <= bytes.count else { throw PickleError.truncated(offset: offset) }
        let raw = Array(bytes[offset..<offset + byteCount])
        offset += byteCount
        guard byteCount <= 8 else { return .bigInt(raw) }
        var value: UInt64 = 0
        for byte in raw.reversed() { value = value << 8 | UInt64(byte) }
        if byteCount > 0, byteCount < 8, raw.last! & 0x80 != 0 { value |= ~0 << (8 * UInt64(byteCount)) }
        return .int(Int(Int64(bitPattern: value)))
    }
}
