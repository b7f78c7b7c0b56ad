import Foundation

/// Long computations (networks, decoding, optimisation) run on threads of their own, never on
/// Swift's cooperative pool, which the server's connections share: a busy pool would stall every
/// request. A thread per call costs tens of microseconds, nothing beside a network pass.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result(catching: body)) }
            // The main thread's size: oneDNN's primitives and the optimisers need more than a
            // secondary thread's default.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
