import Foundation
@testable import ImpastoStudio
import Synchronization
import Testing

@Suite struct BlockingTests {
    /// A burst of requests must not run a network each at once.
    @Test func noMoreThanThePermitsRunAtOnceAndEveryCallFinishes() async throws {
        let counters = Counters()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await Blocking.run {
                        let now = counters.running.add(1, ordering: .relaxed).newValue
                        counters.most.max(now, ordering: .relaxed)
                        Thread.sleep(forTimeInterval: 0.05)
                        counters.running.subtract(1, ordering: .relaxed)
                        return index
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == Array(0..<8))
        #expect(counters.most.load(ordering: .relaxed) == Blocking.permits)
    }

    @Test func anErrorReachesTheCallerAndFreesItsPermit() async throws {
        struct Refused: Error {}
        for _ in 0..<(Blocking.permits + 1) {
            await #expect(throws: Refused.self) { try await Blocking.run { throw Refused() } }
        }
        #expect(try await Blocking.run { 7 } == 7)
    }

    private final class Counters: Sendable {
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
    }
}
