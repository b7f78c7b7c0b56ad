/// The tensor buffers a computation takes and gives back, in order, each a number of floats:
/// what `TensorStorage` asks ImpastoCore's `BufferPool` for, written down by the planner from
/// the engine's own sequence of ops rather than measured.
struct BufferTrace {
    /// One buffer; `floats` is its size, channel padding included, and `touched` how many of
    /// them are ever written: pages never written take no memory, which matters for oneDNN's
    /// scratchpads, booked on whole 2 MiB pages.
    struct Buffer: Hashable {
        let id: Int
        let floats: Int
        let touched: Int
    }

    enum Event {
        case take(Buffer)
        case give(Buffer)
    }

    private(set) var events: [Event] = []
    private var nextID = 0

    /// A buffer of `floats` floats (`touched` of them written; all unless given), live until
    /// given back.
    mutating func take(_ floats: Int, touched: Int? = nil) -> Buffer {
        nextID += 1
        let buffer = Buffer(id: nextID, floats: max(floats, 1), touched: min(touched ?? floats, max(floats, 1)))
        events.append(.take(buffer))
        return buffer
    }

    mutating func give(_ buffer: Buffer) {
        events.append(.give(buffer))
    }

    mutating func give(_ buffers: [Buffer]) {
        buffers.forEach { give($0) }
    }

    /// Forgets the events replayed so far (the buffers stay as they are).
    mutating func clearEvents() {
        events.removeAll(keepingCapacity: true)
    }
}

/// The memory a trace keeps resident under `BufferPool`'s rules: a buffer given back is kept for
/// reuse by a later request of exactly its size (from 2¹⁶ floats up, while the pool holds at
/// most `capacity` bytes, evicting the buffers given back longest ago), so the process holds the
/// live buffers plus the pooled ones. Smaller buffers go back to the allocator.
struct PoolReplay {
    static let minimumPooledFloats = 1 << 16

    let capacity: Int
    /// Bytes held now (live and pooled) and the most held since `resetPeak()`.
    private(set) var resident = 0
    private(set) var peak = 0
    /// Pooled buffers by size, each list oldest first: when each was given back, and the floats
    /// its users wrote.
    private var pooled: [Int: [(stamp: Int, touched: Int)]] = [:]
    private var pooledBytes = 0
    private var clock = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func replay(_ trace: BufferTrace) {
        for event in trace.events {
            switch event {
            case .take(let buffer): take(buffer)
            case .give(let buffer): give(buffer)
            }
        }
    }

    mutating func resetPeak() { peak = resident }

    /// A pooled buffer of a size keeps the pages its last user wrote; one reused for the same
    /// purpose writes the same ones, so they are counted once.
    private mutating func take(_ buffer: BufferTrace.Buffer) {
        if buffer.floats >= Self.minimumPooledFloats, var free = pooled[buffer.floats], !free.isEmpty {
            let reused = free.removeLast()
            pooled[buffer.floats] = free
            pooledBytes -= 4 * buffer.floats
            resident += 4 * max(buffer.touched - reused.touched, 0)
        } else {
            resident += 4 * buffer.touched
        }
        peak = max(peak, resident)
    }

    private mutating func give(_ buffer: BufferTrace.Buffer) {
        guard buffer.floats >= Self.minimumPooledFloats, 4 * buffer.floats <= capacity else {
            resident -= 4 * buffer.touched
            return
        }
        clock += 1
        pooled[buffer.floats, default: []].append((clock, buffer.touched))
        pooledBytes += 4 * buffer.floats
        while pooledBytes > capacity,
              let oldest = pooled.filter({ !$0.value.isEmpty }).min(by: { $0.value[0].stamp < $1.value[0].stamp })?.key {
            let evicted = pooled[oldest]!.removeFirst()
            pooledBytes -= 4 * oldest
            resident -= 4 * evicted.touched
        }
    }
}
