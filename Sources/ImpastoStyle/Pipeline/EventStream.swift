import Foundation

/// Runs `body` on a thread of its own and hands its events out as a stream that ends after the
/// body returns, with `failed(error)` last when it throws. Ending the iteration early cancels it.
/// A thread rather than a task: a run blocks in long computations that must not hold up Swift's
/// cooperative pool, which the studio's server shares.
func eventStream<Event: Sendable>(cancellation: Cancellation, failed: @escaping @Sendable (any Error) -> Event,
                                  body: @escaping @Sendable (_ yield: (Event) -> Void) throws -> Void) -> AsyncStream<Event> {
    AsyncStream { continuation in
        continuation.onTermination = { _ in cancellation.cancel() }
        let thread = Thread {
            do {
                try body { continuation.yield($0) }
            } catch {
                continuation.yield(failed(error))
            }
            continuation.finish()
        }
        // The main thread's size: oneDNN's primitives and the optimisers need more than a secondary thread's default.
        thread.stackSize = 8 << 20
        thread.start()
    }
}
