/// The logical shape of a tensor: batch, channels, height, width (NCHW).
///
/// Every tensor in Impasto is rank 4. Vectors and matrices use the trailing
/// dimensions (a bias is `[1, C, 1, 1]`, a Gram matrix `[N, 1, C, C]`, a scalar `[1, 1, 1, 1]`).
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var n: Int
    public var c: Int
    public var h: Int
    public var w: Int

    public init(_ n: Int, _ c: Int, _ h: Int, _ w: Int) {
        precondition(n > 0 && c > 0 && h > 0 && w > 0, "Shape dimensions must be positive: \(n)×\(c)×\(h)×\(w)")
        self.n = n
        self.c = c
        self.h = h
        self.w = w
    }

    public static let scalar = Shape(1, 1, 1, 1)

    /// The number of logical elements.
    public var count: Int { n * c * h * w }

    public var dims: [Int] { [n, c, h, w] }

    public var description: String { "\(n)×\(c)×\(h)×\(w)" }
}
