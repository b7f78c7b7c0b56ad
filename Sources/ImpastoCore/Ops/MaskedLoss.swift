/// The mean of (a − b)² over the pixels where `mask` is 1, as a scalar tensor: a and b are
/// `N × C × H × W`, the mask `N × 1 × H × W` of 0s and 1s (the same for every channel), and
/// the mean is Σ mask·(a − b)² / (C · Σ mask). Pixels a known motion brought in from outside
/// the image have no counterpart to compare with, so they are left out rather than counted as 0.
/// An empty mask gives 0. Pullback: `∂/∂a = 2·mask·(a − b)/(C · Σ mask)`, `∂/∂b = −∂/∂a`.
public func maskedMeanSquaredError(_ a: Tensor, _ b: Tensor, mask: Tensor) -> Tensor {
    let shape = a.shape
    precondition(shape == b.shape, "maskedMeanSquaredError: \(shape) vs \(b.shape)")
    precondition(mask.shape == Shape(shape.n, 1, shape.h, shape.w), "maskedMeanSquaredError: mask \(mask.shape) for \(shape)")
    let (left, right, weights) = (a.laidOut(as: .nchw).detached().scalars, b.laidOut(as: .nchw).detached().scalars,
                                  mask.scalars)
    let plane = shape.h * shape.w
    let count = Double(shape.c) * weights.reduce(0) { $0 + Double($1) }
    func maskIndex(_ i: Int) -> Int { i / (shape.c * plane) * plane + i % plane }
    var total = 0.0
    for i in left.indices {
        let difference = Double(left[i] - right[i])
        total += Double(weights[maskIndex(i)]) * difference * difference
    }
    let value = Tensor(shape: .scalar, scalars: [count > 0 ? Float(total / count) : 0])
    return Tape.record("masked mse", inputs: [a, b], output: value) { dy, needed in
        let scale = count > 0 ? 2 * dy.item / Float(count) : 0
        let da = Tensor(shape: shape, scalars: left.indices.map { i in scale * weights[maskIndex(i)] * (left[i] - right[i]) })
        return [needed[0] ? da : nil, needed[1] ? Kernels.scaled(da, by: -1) : nil]
    }
}
