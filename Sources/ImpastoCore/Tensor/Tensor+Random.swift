/// A small, fast, seedable generator (SplitMix64) so that tests, noise initialisation and
/// benchmarks are reproducible across runs and platforms.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Tensor {
    /// A tensor of values drawn uniformly from `range`, in NCHW order.
    public init(uniform range: ClosedRange<Float>, shape: Shape, using generator: inout SeededGenerator) {
        self.init(shape: shape, scalars: (0..<shape.count).map { _ in Float.random(in: range, using: &generator) })
    }
}
