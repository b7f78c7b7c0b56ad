import Synchronization

/// A request to stop a run, from any thread (a signal handler, a closed web socket, a task's
/// cancellation). Runs check it after each step, so what they return ends on a whole step.
public final class Cancellation: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    public func cancel() { requested.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { requested.load(ordering: .relaxed) }
}
