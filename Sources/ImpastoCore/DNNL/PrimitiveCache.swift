import Synchronization

/// Primitives built once per shape and kept for the life of the process.
///
/// Keys name the operation and every number that shapes it, so the same layer at the same
/// size always reuses one primitive.
struct PrimitiveKey: Hashable, Sendable {
    var operation: String
    var numbers: [Int]

    init(_ operation: String, _ numbers: [Int]) {
        self.operation = operation
        self.numbers = numbers
    }
}

final class PrimitiveCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[PrimitiveKey: Value]>([:])

    func value(for key: PrimitiveKey, make: () throws -> Value) -> Value {
        entries.withLock { entries in
            if let hit = entries[key] { return hit }
            let made = mustSucceed(make)
            entries[key] = made
            return made
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
