@testable import ImpastoStyle
import Testing

@Suite("Vector halves on two cores")
struct VectorHalvesTests {
    static let count = VectorHalves.minimumCount * 2 + 37
    static let vectors: [[Float]] = (0..<8).map { k in
        (0..<count).map { i -> Float in Float((i * (k + 3)) % 1999) / 1999 - 0.5 }
    }

    /// 40 updates of q, each scaled by a dot product with q over the whole vector, as in the
    /// two-loop recursion; returns q and the sums.
    static func chain(onHalves: Bool) -> (q: [Float], sums: [Double]) {
        var q = [Float](repeating: 1, count: count)
        var sums = [Double](repeating: 0, count: 40)
        q.withUnsafeMutableBufferPointer { q in
            sums.withUnsafeMutableBufferPointer { sums in
                func body(_ range: Range<Int>, _ total: (Double) -> Double) {
                    for step in 0..<40 {
                        let sum = total(dot(vectors[step % 8], q, in: range))
                        if range.lowerBound == 0 { sums[step] = sum }
                        addScaled(vectors[(step + 3) % 8], Float(-1e-6 * sum), to: q, in: range)
                    }
                }
                if onHalves {
                    VectorHalves.forEach(count: count, body)
                } else {
                    body(0..<count) { $0 }
                }
            }
        }
        return (q, sums)
    }

    /// Run by `VectorHalves` (two threads on a multi-core machine) and by one thread over the
    /// whole range, the chain must give the same bits: a resumed L-BFGS run repeats the
    /// uninterrupted one exactly, whichever way its recursion ran.
    @Test func twoHalvesGiveTheSameBitsAsOne() {
        let (halves, whole) = (Self.chain(onHalves: true), Self.chain(onHalves: false))
        #expect(halves.sums == whole.sums)
        // An index, not the arrays: printing 131 000 floats would bury the failure.
        let firstDifference = halves.q.indices.first { halves.q[$0] != whole.q[$0] }
        #expect(firstDifference == nil)
        #expect(Set(whole.sums).count == 40, "every update changes q")
    }
}
