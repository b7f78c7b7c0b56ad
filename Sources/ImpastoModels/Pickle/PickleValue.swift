/// A value decoded from a pickle stream by `PickleReader`.
///
/// Only what PyTorch checkpoints contain is representable. Calls to the few allowed
/// globals are evaluated by the reader into plain values (`OrderedDict()` becomes `.dictionary`,
/// `_rebuild_tensor_v2(...)` becomes `.tensor`); nothing is ever executed.
public indirect enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too wide for Int: its little-endian two's-complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list([PickleValue])
    case dictionary([(key: PickleValue, value: PickleValue)])
    case global(module: String, name: String)
    /// A storage reference: `("storage", torch.XStorage, key, location, count)`; legacy files add a
    /// sixth element, the view metadata, always None in files Impasto reads.
    case storage(StorageReference)
    case tensor(TensorReference)

    public static func == (a: PickleValue, b: PickleValue) -> Bool {
        switch (a, b) {
        case (.none, .none): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.bigInt(x), .bigInt(y)): x == y
        case let (.float(x), .float(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.bytes(x), .bytes(y)): x == y
        case let (.tuple(x), .tuple(y)), let (.list(x), .list(y)): x == y
        case let (.dictionary(x), .dictionary(y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.global(m1, n1), .global(m2, n2)): m1 == m2 && n1 == n2
        case let (.storage(x), .storage(y)): x == y
        case let (.tensor(x), .tensor(y)): x == y
        default: false
        }
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    var elements: [PickleValue]? {
        switch self {
        case .tuple(let values), .list(let values): values
        default: nil
        }
    }
}

/// The element types PyTorch storages hold that Impasto reads.
public enum StorageType: String, Sendable {
    case float32 = "FloatStorage"
    case float16 = "HalfStorage"
    case uint8 = "ByteStorage"
    case int64 = "LongStorage"

    var byteWidth: Int {
        switch self {
        case .float32: 4
        case .float16: 2
        case .uint8: 1
        case .int64: 8
        }
    }
}

public struct StorageReference: Sendable, Equatable {
    public var type: StorageType
    public var key: String
    public var count: Int
}

/// A view into a storage, as `torch._utils._rebuild_tensor_v2` describes it.
public struct TensorReference: Sendable, Equatable {
    public var storage: StorageReference
    public var offset: Int
    public var shape: [Int]
    public var strides: [Int]
}
