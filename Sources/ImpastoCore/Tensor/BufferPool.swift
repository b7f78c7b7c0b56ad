import Foundation
import Synchronization

/// Keeps freed large float buffers for reuse, keyed by exact size, up to `capacityBytes`.
/// Small buffers go straight to the allocator, which recycles them cheaply on its own.
final class BufferPool: Sendable {
    /// A sixth of the machine's memory, at most 4 GiB: a 720p frame's activations through the
    /// style network are 100+ MB each, and a pool that cannot hold one pass's worth sends every
    /// buffer back to the kernel and takes fresh zeroed pages for the next.
    static let shared = BufferPool(capacityBytes: min(4 << 30, Int(ProcessInfo.processInfo.physicalMemory / 6)))

    /// Buffers below this many floats (256 KiB) are not pooled.
    private static let minimumPooledCount = 1 << 16
    private let capacityBytes: Int
    private let state = Mutex<(buffers: [Int: [Buffer]], bytes: Int)>(([:], 0))

    /// A buffer owned by the pool while no tensor uses it.
    private struct Buffer: @unchecked Sendable {
        var pointer: UnsafeMutablePointer<Float>
    }

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    func take(count: Int) -> UnsafeMutablePointer<Float> {
        if count >= Self.minimumPooledCount, let reused = state.withLock({ state -> Buffer? in
            guard let buffer = state.buffers[count]?.popLast() else { return nil }
            state.bytes -= count * MemoryLayout<Float>.stride
            return buffer
        }) {
            return reused.pointer
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    func give(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = count * MemoryLayout<Float>.stride
        let kept = count >= Self.minimumPooledCount && state.withLock { state in
            guard state.bytes + bytes <= capacityBytes else { return false }
            state.buffers[count, default: []].append(Buffer(pointer: buffer))
            state.bytes += bytes
            return true
        }
        if !kept { buffer.deallocate() }
    }
}
