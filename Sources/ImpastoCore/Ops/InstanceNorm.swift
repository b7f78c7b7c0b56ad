/// Instance normalisation (Ulyanov et al. 2016) with a learned scale and shift per channel:
/// y = γ_c · (x − μ_nc) / √(σ²_nc + ε) + β_c, the mean and (biased) variance taken over each
/// image's H × W for each channel, as PyTorch's `InstanceNorm2d(affine: true)` computes it.
///
/// - Parameters:
///   - x: `N × C × H × W`, any layout (computed in NCHW).
///   - scale: γ, `1 × C × 1 × 1`.
///   - shift: β, `1 × C × 1 × 1`.
public func instanceNorm(_ x: Tensor, scale: Tensor, shift: Tensor, epsilon: Float = 1e-5) -> Tensor {
    let input = x.laidOut(as: .nchw).detached()
    let shape = input.shape
    precondition(scale.shape == Shape(1, shape.c, 1, 1) && shift.shape == scale.shape,
                 "instanceNorm: scale and shift must be 1×\(shape.c)×1×1")
    let plane = shape.h * shape.w
    let (gamma, beta) = (scale.scalars, shift.scalars)
    var means = [Float](repeating: 0, count: shape.n * shape.c)
    var inverseDeviations = [Float](repeating: 0, count: shape.n * shape.c)
    input.withUnsafeBufferPointer { x in
        for instance in 0..<(shape.n * shape.c) {
            var sum = 0.0, squares = 0.0
            for i in (instance * plane)..<((instance + 1) * plane) {
                sum += Double(x[i])
                squares += Double(x[i]) * Double(x[i])
            }
            let mean = sum / Double(plane)
            let variance = max(squares / Double(plane) - mean * mean, 0)
            means[instance] = Float(mean)
            inverseDeviations[instance] = Float(1 / (variance + Double(epsilon)).squareRoot())
        }
    }
    /// Writes x̂ for every instance, or with `affine` the output γ·x̂ + β.
    func normalise(into out: UnsafeMutableBufferPointer<Float>, affine: Bool) {
        input.withUnsafeBufferPointer { x in
            for instance in 0..<(shape.n * shape.c) {
                let (mean, inverse) = (means[instance], inverseDeviations[instance])
                let (g, b) = affine ? (gamma[instance % shape.c] * inverse, beta[instance % shape.c]) : (inverse, 0)
                for i in (instance * plane)..<((instance + 1) * plane) { out[i] = (x[i] - mean) * g + b }
            }
        }
    }
    let output = Tensor.filled(shape) { normalise(into: $0, affine: true) }
    // Only a recorded op keeps x̂ for its pullback; stylising an image skips that buffer and pass.
    guard [x, scale, shift].contains(where: \.isDifferentiable) else { return output }
    let normalised = Tensor.filled(shape) { normalise(into: $0, affine: false) }
    return Tape.record("instance norm", inputs: [x, scale, shift], output: output) { dy, needed in
        let gradient = dy.laidOut(as: .nchw)
        var dGamma = [Float](repeating: 0, count: shape.c)
        var dBeta = [Float](repeating: 0, count: shape.c)
        var sums = [(g: Float, gn: Float)](repeating: (0, 0), count: shape.n * shape.c)
        gradient.withUnsafeBufferPointer { g in
            normalised.withUnsafeBufferPointer { n in
                for instance in 0..<(shape.n * shape.c) {
                    var sumG = 0.0, sumGN = 0.0
                    for i in (instance * plane)..<((instance + 1) * plane) {
                        sumG += Double(g[i])
                        sumGN += Double(g[i]) * Double(n[i])
                    }
                    sums[instance] = (Float(sumG), Float(sumGN))
                    dBeta[instance % shape.c] += Float(sumG)
                    dGamma[instance % shape.c] += Float(sumGN)
                }
            }
        }
        // dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂)), the usual normalisation pullback.
        let dx = !needed[0] ? nil : Tensor.filled(shape) { dx in
            gradient.withUnsafeBufferPointer { g in
                normalised.withUnsafeBufferPointer { n in
                    for instance in 0..<(shape.n * shape.c) {
                        let factor = gamma[instance % shape.c] * inverseDeviations[instance]
                        let (meanG, meanGN) = (sums[instance].g / Float(plane), sums[instance].gn / Float(plane))
                        for i in (instance * plane)..<((instance + 1) * plane) {
                            dx[i] = factor * (g[i] - meanG - n[i] * meanGN)
                        }
                    }
                }
            }
        }
        let parameterShape = Shape(1, shape.c, 1, 1)
        return [dx, needed[1] ? Tensor(shape: parameterShape, scalars: dGamma) : nil,
                needed[2] ? Tensor(shape: parameterShape, scalars: dBeta) : nil]
    }
}

extension Tensor {
    /// A new NCHW tensor from pooled storage, every element written by `fill`.
    static func filled(_ shape: Shape, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
        var tensor = Tensor(uninitialized: shape, layout: .nchw)
        tensor.withUnsafeMutableBufferPointer(fill)
        return tensor
    }
}
