import Foundation
import Synchronization

/// Keeps freed large float buffers for reuse, keyed by exact size, up to `capacityBytes`.
/// Small buffers go straight to the allocator, which recycles them cheaply on its own.
///
/// When a freed buffer does not fit, the buffers given back longest ago make room for it: work
/// whose sizes change (a folder of photos of different sizes, the benchmark's 512² then 720p
/// passes) would otherwise leave the pool full of sizes no longer asked for, and every buffer
/// of the new size would come as fresh pages the kernel must zero.
final class BufferPool: Sendable {
    /// A sixth of the machine's memory, at most 4 GiB: a 720p frame's activations through the
    /// style network are 100+ MB each, and a pool that cannot hold one pass's worth sends every
    /// buffer back to the kernel and takes fresh zeroed pages for the next.
    static let shared = BufferPool(capacityBytes: min(4 << 30, Int(ProcessInfo.processInfo.physicalMemory / 6)))

    /// Buffers below this many floats (256 KiB) are not pooled.
    private static let minimumPooledCount = 1 << 16
    private let capacityBytes: Int
    private let state = Mutex(State())

    /// A buffer owned by the pool while no tensor uses it.
    private struct Buffer: @unchecked Sendable {
        var pointer: UnsafeMutablePointer<Float>
        /// When it was given back, to evict the longest unused first.
        var stamp: Int
    }

    private struct State {
        var buffers: [Int: [Buffer]] = [:]
        var bytes = 0
        var clock = 0
    }

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// The bytes of the buffers held for reuse.
    var bytesHeld: Int { state.withLock { $0.bytes } }

    func take(count: Int) -> UnsafeMutablePointer<Float> {
        if count >= Self.minimumPooledCount, let reused = state.withLock({ state -> Buffer? in
            guard let buffer = state.buffers[count]?.popLast() else { return nil }
            state.bytes -= Self.bytes(count)
            return buffer
        }) {
            return reused.pointer
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Self.bytes(max(count, 1)), alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    func give(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= Self.minimumPooledCount, Self.bytes(count) <= capacityBytes else {
            buffer.deallocate()
            return
        }
        let evicted = state.withLock { state in
            state.clock += 1
            state.buffers[count, default: []].append(Buffer(pointer: buffer, stamp: state.clock))
            state.bytes += Self.bytes(count)
            var evicted: [UnsafeMutablePointer<Float>] = []
            while state.bytes > capacityBytes, let oldest = Self.removeOldest(from: &state) {
                evicted.append(oldest)
            }
            return evicted
        }
        evicted.forEach { $0.deallocate() }
    }

    /// Takes the buffer given back longest ago out of the pool.
    private static func removeOldest(from state: inout State) -> UnsafeMutablePointer<Float>? {
        // Each size's list is in the order given back, so its first buffer is its oldest.
        guard let count = state.buffers.filter({ !$0.value.isEmpty })
            .min(by: { $0.value[0].stamp < $1.value[0].stamp })?.key else { return nil }
        let oldest = state.buffers[count]!.removeFirst()
        state.bytes -= bytes(count)
        return oldest.pointer
    }

    private static func bytes(_ count: Int) -> Int { count * MemoryLayout<Float>.stride }
}
