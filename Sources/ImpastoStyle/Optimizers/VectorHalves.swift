import Dispatch
import Foundation
import Synchronization

/// Runs a loop over a long vector on two cores, each over one half of its indices, where the
/// halves only meet to add up sums: the two-loop recursion's 200 dot products, each of which
/// gates the next update. Its limit is memory bandwidth, which a second core raises.
///
/// Dispatch's pool woke a thread per dot product, which cost more than it saved (README); here a
/// helper thread is woken once per loop and the halves meet at spinning barriers. A sum is the
/// first half's partial plus the second's also when one thread does both (short vectors, one
/// core), so results never depend on which ran.
enum VectorHalves {
    /// Below this many elements one thread does the whole loop.
    static let minimumCount = 1 << 16

    /// Where the second half starts: a multiple of the 1024-element blocks sums are built from.
    static func split(_ count: Int) -> Int { (count / 2) & ~1023 }

    /// `body(range, total)` on each half of `0..<count`; `total(partial)` returns the sum of the
    /// partials both halves passed at their n-th call. A single thread gets the whole range, and
    /// its `total` is the identity: its partial sums must already add the halves in order
    /// (see `halvedSum`).
    static func forEach(count: Int, _ body: (Range<Int>, (Double) -> Double) -> Void) {
        guard count >= minimumCount, HelperThread.shared != nil else {
            body(0..<count) { $0 }
            return
        }
        let meeting = Meeting()
        let middle = split(count)
        HelperThread.shared!.runOnBoth { half in
            var calls = 0
            body(half == 0 ? 0..<middle : middle..<count) { partial in
                calls += 1
                return meeting.total(half: half, call: calls, partial: partial)
            }
        }
    }

    /// Σ term over `range`, as the halves would add it: the part before `split(count)` plus the
    /// part after, each summed by `sum`.
    static func halvedSum(_ range: Range<Int>, count: Int, _ sum: (Range<Int>) -> Double) -> Double {
        let middle = split(count)
        guard range.lowerBound < middle, range.upperBound > middle else { return sum(range) }
        return sum(range.lowerBound..<middle) + sum(middle..<range.upperBound)
    }
}

/// Where the two halves exchange partial sums. Each writes its partial, then its call count
/// (release), and spins until the other's count catches up (acquire). Slots alternate by call
/// parity: a half cannot start call n + 2 before the other has finished call n + 1, and so has
/// read the slot of call n.
private final class Meeting: @unchecked Sendable {
    private let firstHalfCalls = Atomic<Int>(0)
    private let secondHalfCalls = Atomic<Int>(0)
    private let slots = UnsafeMutablePointer<Double>.allocate(capacity: 4)

    deinit { slots.deallocate() }

    private func callsMade(by half: Int) -> Int {
        half == 0 ? firstHalfCalls.load(ordering: .acquiring) : secondHalfCalls.load(ordering: .acquiring)
    }

    func total(half: Int, call: Int, partial: Double) -> Double {
        slots[2 * half + call % 2] = partial
        if half == 0 {
            firstHalfCalls.store(call, ordering: .releasing)
        } else {
            secondHalfCalls.store(call, ordering: .releasing)
        }
        var spins = 0
        while callsMade(by: 1 - half) < call {
            spins += 1
            // Tests run many things at once: let the other half have this core.
            if spins % 4096 == 0 { sched_yield() }
        }
        let other = slots[2 * (1 - half) + call % 2]
        return partial + other
    }
}

/// The second core's thread: it sleeps until `runOnBoth` hands it the second half.
private final class HelperThread: @unchecked Sendable {
    /// nil on a single core.
    static let shared: HelperThread? = ProcessInfo.processInfo.activeProcessorCount > 1 ? HelperThread() : nil

    private let start = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Set before `start` is signalled and read after it is waited on, so the semaphore orders it.
    private var job: ((Int) -> Void)?
    private let lock = NSLock()

    private init() {
        let thread = Thread { [unowned self] in
            while true {
                start.wait()
                job!(1)
                finished.signal()
            }
        }
        thread.name = "impasto vector halves"
        thread.start()
    }

    /// `body(0)` here and `body(1)` on the helper, returning when both have.
    func runOnBoth(_ body: (Int) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        withoutActuallyEscaping(body) { body in
            job = body
            start.signal()
            body(0)
            finished.wait()
            job = nil
        }
    }
}
