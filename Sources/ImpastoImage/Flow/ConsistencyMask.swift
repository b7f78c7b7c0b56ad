/// Where a backward flow can be trusted, by Ruder et al. 2016's forward–backward check.
///
/// For pixel p of frame t with backward flow w = backward(p) (towards frame t−1) and the
/// forward flow ŵ = forward(p + w) read back at the point it lands on, p is unreliable when
/// - p + w falls outside frame t−1 (content that entered across the border);
/// - |w + ŵ|² ≥ 0.01 (|w|² + |ŵ|²) + 0.5 (the two flows disagree: occlusion or disocclusion);
/// - |∇w|² > 0.01 |w|² + 0.002 (a motion boundary), with ∇ by central differences
///   (one-sided at the image edge), |∇w|² summing the squared derivatives of both components.
public struct ConsistencyMask: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 where the flow is reliable, 0 where not, one value per pixel row by row.
    public let weights: [Float]

    /// - Parameters:
    ///   - backward: the flow from frame t to frame t−1.
    ///   - forward: the flow from frame t−1 to frame t.
    public init(backward: FlowField, forward: FlowField) {
        precondition(backward.width == forward.width && backward.height == forward.height,
                     "flows of different sizes: \(backward.width)×\(backward.height) and \(forward.width)×\(forward.height)")
        (width, height) = (backward.width, backward.height)
        var weights = [Float](repeating: 0, count: backward.width * backward.height)
        backward.vectors.withUnsafeBufferPointer { w in
            forward.vectors.withUnsafeBufferPointer { f in
                weights.withUnsafeMutableBufferPointer { weights in
                    for y in 0..<backward.height {
                        for x in 0..<backward.width {
                            let reliable = Self.isConsistent(x: x, y: y, backward: w, forward: f, width: backward.width,
                                                             height: backward.height)
                                && !Self.isMotionBoundary(x: x, y: y, backward: w, width: backward.width,
                                                          height: backward.height)
                            weights[y * backward.width + x] = reliable ? 1 : 0
                        }
                    }
                }
            }
        }
        self.weights = weights
    }

    /// The share of pixels whose flow is reliable.
    public var reliableFraction: Double { Double(weights.reduce(0, +)) / Double(max(weights.count, 1)) }

    private static func isConsistent(x: Int, y: Int, backward w: UnsafeBufferPointer<Float>,
                                     forward f: UnsafeBufferPointer<Float>, width: Int, height: Int) -> Bool {
        let index = 2 * (y * width + x)
        let (u, v) = (w[index], w[index + 1])
        let (tx, ty) = (Float(x) + u, Float(y) + v)
        guard tx >= 0, ty >= 0, tx <= Float(width - 1), ty <= Float(height - 1) else { return false }
        let tap = BilinearTap(x: tx, y: ty, width: width, height: height)
        let (fu, fv) = (tap.sample(f, pixelStride: 2, offset: 0), tap.sample(f, pixelStride: 2, offset: 1))
        let disagreement = (u + fu) * (u + fu) + (v + fv) * (v + fv)
        return disagreement < 0.01 * (u * u + v * v + fu * fu + fv * fv) + 0.5
    }

    private static func isMotionBoundary(x: Int, y: Int, backward w: UnsafeBufferPointer<Float>,
                                         width: Int, height: Int) -> Bool {
        let (left, right) = (max(x - 1, 0), min(x + 1, width - 1))
        let (up, down) = (max(y - 1, 0), min(y + 1, height - 1))
        let (xSpan, ySpan) = (Float(max(right - left, 1)), Float(max(down - up, 1)))
        let (row, upRow, downRow) = (2 * y * width, 2 * up * width, 2 * down * width)
        var gradient: Float = 0
        for c in 0..<2 {
            let dx = (w[row + 2 * right + c] - w[row + 2 * left + c]) / xSpan
            let dy = (w[downRow + 2 * x + c] - w[upRow + 2 * x + c]) / ySpan
            gradient += dx * dx + dy * dy
        }
        let (u, v) = (w[row + 2 * x], w[row + 2 * x + 1])
        return gradient > 0.01 * (u * u + v * v) + 0.002
    }
}
