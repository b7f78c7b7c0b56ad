@testable import ImpastoCore
import Testing

@Suite("Buffer pool")
struct BufferPoolTests {
    static let large = 1 << 16

    @Test func aFreedBufferIsHandedOutAgainForTheSameSize() {
        let pool = BufferPool(capacityBytes: 4 * Self.large * 4)
        let buffer = pool.take(count: Self.large)
        pool.give(buffer, count: Self.large)
        #expect(pool.take(count: Self.large) == buffer)
        #expect(pool.bytesHeld == 0)
    }

    @Test func aFullPoolEvictsTheBuffersGivenBackLongestAgo() {
        // Room for two buffers of the larger size: after two of one size and one of another,
        // the oldest of the first size must have made room, and the newest stays.
        let pool = BufferPool(capacityBytes: 2 * 2 * Self.large * 4)
        let (old, newer) = (pool.take(count: 2 * Self.large), pool.take(count: 2 * Self.large))
        pool.give(old, count: 2 * Self.large)
        pool.give(newer, count: 2 * Self.large)
        let other = pool.take(count: Self.large + 1)
        pool.give(other, count: Self.large + 1)
        #expect(pool.bytesHeld == (2 * Self.large + Self.large + 1) * 4)
        #expect(pool.take(count: Self.large + 1) == other)
        #expect(pool.take(count: 2 * Self.large) == newer)
        #expect(pool.bytesHeld == 0)
    }
}
