import CDNNL
import Synchronization

/// Owns a tensor's floats; the memory is 64-byte aligned, zero-filled and freed in `deinit`.
///
/// A storage also remembers copies of itself reordered into the layouts oneDNN primitives ask
/// for (blocked convolution weights), so constant weights are reordered once, not every step.
/// Mutating the floats through `Tensor` forgets those copies.
final class TensorStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    private let reorderedCopies = Mutex<[ReorderedCopy]>([])

    struct ReorderedCopy {
        var descriptor: dnnl_memory_desc_t
        var storage: TensorStorage
    }

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        pointer.deallocate()
    }

    func copy() -> TensorStorage {
        let result = TensorStorage(count: count)
        result.pointer.update(from: pointer, count: count)
        return result
    }

    func forgetReorderedCopies() {
        reorderedCopies.withLock { $0.removeAll() }
    }

    /// The copy of these floats laid out as `descriptor`, made by `make` the first time.
    func reorderedCopy(as descriptor: dnnl_memory_desc_t, make: () -> TensorStorage) -> TensorStorage {
        reorderedCopies.withLock { copies in
            if let hit = copies.first(where: { withUnsafePointer(to: $0.descriptor) { a in
                withUnsafePointer(to: descriptor) { b in dnnl_memory_desc_equal(a, b) != 0 } } }) {
                return hit.storage
            }
            let made = make()
            copies.append(ReorderedCopy(descriptor: descriptor, storage: made))
            return made
        }
    }
}
