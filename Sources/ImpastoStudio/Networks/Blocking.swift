import Foundation

/// Long computations (networks, decoding, encoding) run on threads of their own, never on Swift's
/// cooperative pool, which the server's connections share: a busy pool would stall every
/// request. At most `permits` run at once and the rest wait their turn, so a burst of requests
/// (previews, first thumbnails, live frames) cannot start a network per request and multiply the
/// memory; two is the core count this studio is sized for. A thread per call costs tens of
/// microseconds, nothing beside a network pass.
enum Blocking {
    static let permits = 2
    private static let gate = Gate(permits: permits)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        await gate.enter()
        defer { Task { await gate.leave() } }
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result(catching: body)) }
            // The main thread's size: oneDNN's primitives and the optimisers need more than a
            // secondary thread's default.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// A counting semaphore for tasks: callers past the permits wait, first come first served.
    private actor Gate {
        private var free: Int
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(permits: Int) { free = permits }

        func enter() async {
            if free > 0 {
                free -= 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
        }
    }
}
