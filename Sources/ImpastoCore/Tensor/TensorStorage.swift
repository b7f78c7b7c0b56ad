import CDNNL
import Synchronization

/// Owns a tensor's floats; the memory is 64-byte aligned and given back in `deinit`.
///
/// Large buffers go back to `BufferPool` rather than to the system: an optimisation step frees
/// and reallocates the same activation sizes every time, and fresh pages from the kernel cost
/// a page fault each. Buffers are zero-filled unless the caller will overwrite every element.
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

    /// A buffer of `count` floats; zero-filled unless `zeroed` is false, which only kernels
    /// that write every element (padding included) may ask for.
    init(count: Int, zeroed: Bool = true) {
        self.count = count
        pointer = BufferPool.shared.take(count: count)
        if zeroed { pointer.update(repeating: 0, count: max(count, 1)) }
    }

    deinit {
        BufferPool.shared.give(pointer, count: count)
    }

    func copy() -> TensorStorage {
        let result = TensorStorage(count: count, zeroed: false)
        result.pointer.update(from: pointer, count: count)
        return result
    }

    func forgetReorderedCopies() {
        reorderedCopies.withLock { $0.removeAll() }
    }

    /// The copy of these floats laid out as `descriptor`, made by `make` the first time.
    func reorderedCopy(as descriptor: dnnl_memory_desc_t, make: () -> TensorStorage) -> TensorStorage {
        reorderedCopies.withLock { copies in
            if let hit = copies.first(where: { MemoryDescriptor.identical($0.descriptor, descriptor) }) {
                return hit.storage
            }
            let made = make()
            copies.append(ReorderedCopy(descriptor: descriptor, storage: made))
            return made
        }
    }
}
