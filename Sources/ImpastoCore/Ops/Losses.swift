/// mean((a − b)²) over all elements, as a scalar tensor. b is reordered to a's layout if needed.
/// Pullback: `∂/∂a = 2(a − b)/count`, `∂/∂b = −∂/∂a`.
public func meanSquaredError(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "meanSquaredError: \(a.shape) vs \(b.shape)")
    let count = Float(a.shape.count)
    let value = Tensor(shape: .scalar, scalars: [Float(Kernels.squaredDistance(a, b) / Double(count))])
    return Tape.record("mse", inputs: [a, b], output: value) { dy, needed in
        let da = Kernels.scaledDifference(a, b, scale: 2 * dy.item / count)
        return [needed[0] ? da : nil, needed[1] ? Kernels.scaled(da, by: -1) : nil]
    }
}

/// Total variation as TensorFlow's `tf.image.total_variation` defines it: the sum of absolute
/// differences between vertical and between horizontal neighbours, over all channels.
public func totalVariation(_ image: Tensor) -> Tensor {
    let value = Tensor(shape: .scalar, scalars: [Float(Kernels.totalVariation(image))])
    return Tape.record("totalVariation", inputs: [image], output: value) { dy, _ in
        [Kernels.totalVariationGradient(image, scale: dy.item)]
    }
}
