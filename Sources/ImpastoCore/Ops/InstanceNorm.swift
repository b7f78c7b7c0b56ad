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
    var normalised = [Float](repeating: 0, count: shape.count)
    var inverseDeviations = [Float](repeating: 0, count: shape.n * shape.c)
    var output = [Float](repeating: 0, count: shape.count)
    input.withUnsafeBufferPointer { x in
        for instance in 0..<(shape.n * shape.c) {
            let base = instance * plane
            var mean = 0.0
            for i in base..<(base + plane) { mean += Double(x[i]) }
            mean /= Double(plane)
            var variance = 0.0
            for i in base..<(base + plane) { variance += (Double(x[i]) - mean) * (Double(x[i]) - mean) }
            let inverse = Float(1 / (variance / Double(plane) + Double(epsilon)).squareRoot())
            inverseDeviations[instance] = inverse
            let channel = instance % shape.c
            for i in base..<(base + plane) {
                normalised[i] = (x[i] - Float(mean)) * inverse
                output[i] = gamma[channel] * normalised[i] + beta[channel]
            }
        }
    }
    return Tape.record("instance norm", inputs: [x, scale, shift], output: Tensor(shape: shape, scalars: output)) { dy, needed in
        let g = dy.laidOut(as: .nchw).scalars
        var dGamma = [Float](repeating: 0, count: shape.c)
        var dBeta = [Float](repeating: 0, count: shape.c)
        var dx = [Float](repeating: 0, count: needed[0] ? shape.count : 0)
        for instance in 0..<(shape.n * shape.c) {
            let (base, channel) = (instance * plane, instance % shape.c)
            var sumG = 0.0, sumGN = 0.0
            for i in base..<(base + plane) {
                sumG += Double(g[i])
                sumGN += Double(g[i]) * Double(normalised[i])
            }
            dBeta[channel] += Float(sumG)
            dGamma[channel] += Float(sumGN)
            guard needed[0] else { continue }
            // dx = γ/σ · (g − mean(g) − n̂ · mean(g · n̂)), the usual normalisation pullback.
            let factor = gamma[channel] * inverseDeviations[instance]
            let (meanG, meanGN) = (Float(sumG / Double(plane)), Float(sumGN / Double(plane)))
            for i in base..<(base + plane) { dx[i] = factor * (g[i] - meanG - normalised[i] * meanGN) }
        }
        let parameterShape = Shape(1, shape.c, 1, 1)
        return [needed[0] ? Tensor(shape: shape, scalars: dx) : nil,
                needed[1] ? Tensor(shape: parameterShape, scalars: dGamma) : nil,
                needed[2] ? Tensor(shape: parameterShape, scalars: dBeta) : nil]
    }
}
