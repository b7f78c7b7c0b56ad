/// Instance normalisation (Ulyanov et al. 2016) with a learned scale and shift per channel:
/// y = γ_c · (x − μ_nc) / √(σ²_nc + ε) + β_c, the mean and (biased) variance taken over each
/// image's H × W for each channel, as PyTorch's `InstanceNorm2d(affine: true)` computes it.
///
/// - Parameters:
///   - x: `N × C × H × W`; NCHW and the blocked layouts stay as they are (the convolutions
///     around it use the blocked ones), NHWC is computed in NCHW.
///   - scale: γ, `1 × C × 1 × 1`.
///   - shift: β, `1 × C × 1 × 1`.
///   - relu: whether a ReLU follows, fused into the same pass.
public func instanceNorm(_ x: Tensor, scale: Tensor, shift: Tensor, epsilon: Float = 1e-5,
                         relu: Bool = false) -> Tensor {
    let input = x.inPlanarLayout().detached()
    let (shape, layout) = (input.shape, input.layout)
    precondition(scale.shape == Shape(1, shape.c, 1, 1) && shift.shape == scale.shape,
                 "instanceNorm: scale and shift must be 1×\(shape.c)×1×1")
    let planes = PixelPlanes(shape, layout)
    let statistics = InstanceStatistics(input, planes: planes, epsilon: epsilon)
    let (gamma, beta) = (scale.scalars, shift.scalars)
    let output = statistics.normalised(input, scale: gamma, shift: beta, relu: relu)
    // Only a recorded op keeps x̂ for its pullback; stylising an image skips that buffer and pass.
    guard [x, scale, shift].contains(where: \.isDifferentiable) else { return output }
    let normalised = statistics.normalised(input, scale: nil, shift: nil, relu: false)
    return Tape.record(relu ? "instance norm + relu" : "instance norm", inputs: [x, scale, shift],
                       output: output) { dy, needed in
        var gradient = dy.laidOut(as: layout)
        if relu { gradient = Kernels.reluBackward(gradient, output: output) }
        return statistics.pullback(gradient, normalised: normalised, scale: gamma, needed: needed)
    }
}

/// Each (image, channel)'s mean and 1/σ, per plane and lane of `PixelPlanes`; a block's
/// padding lanes keep 0 and 0, so they stay zero through every pass.
private struct InstanceStatistics {
    let planes: PixelPlanes
    var means: [Float]
    var inverseDeviations: [Float]

    init(_ input: Tensor, planes: PixelPlanes, epsilon: Float) {
        self.planes = planes
        means = [Float](repeating: 0, count: planes.planes * planes.lanes)
        inverseDeviations = means
        let pixels = Double(planes.height * planes.width)
        input.withUnsafeBufferPointer { x in
            for plane in 0..<planes.planes {
                let start = x.baseAddress! + plane * planes.floatsPerPlane
                let (sums, squares) = Kernels.laneMoments(start, start, count: planes.floatsPerPlane, lanes: planes.lanes)
                for lane in 0..<planes.lanes where planes.channel(plane: plane, lane: lane) != nil {
                    let mean = sums[lane] / pixels
                    let variance = max(squares[lane] / pixels - mean * mean, 0)
                    means[plane * planes.lanes + lane] = Float(mean)
                    inverseDeviations[plane * planes.lanes + lane] = Float(1 / (variance + Double(epsilon)).squareRoot())
                }
            }
        }
    }

    /// γ·x̂ + β (through a ReLU if asked), or x̂ itself when `scale` and `shift` are nil.
    func normalised(_ input: Tensor, scale: [Float]?, shift: [Float]?, relu: Bool) -> Tensor {
        Tensor.filled(input.shape, layout: input.layout) { out in
            input.withUnsafeBufferPointer { x in
                for plane in 0..<planes.planes {
                    var (factors, constants) = (laneValues(), laneValues())
                    for lane in 0..<planes.lanes {
                        guard let channel = planes.channel(plane: plane, lane: lane) else { continue }
                        let index = plane * planes.lanes + lane
                        factors[lane] = (scale?[channel] ?? 1) * inverseDeviations[index]
                        constants[lane] = (shift?[channel] ?? 0) - means[index] * factors[lane]
                    }
                    let offset = plane * planes.floatsPerPlane
                    Kernels.laneAffine(into: out.baseAddress! + offset, x.baseAddress! + offset, factors,
                                       plus: constants, count: planes.floatsPerPlane, lanes: planes.lanes, relu: relu)
                }
            }
        }
    }

    /// dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂)), the usual normalisation pullback; dγ = Σ g·x̂
    /// and dβ = Σ g over images and pixels.
    func pullback(_ gradient: Tensor, normalised: Tensor, scale gamma: [Float], needed: [Bool]) -> [Tensor?] {
        let channels = gamma.count
        var (dGamma, dBeta) = ([Float](repeating: 0, count: channels), [Float](repeating: 0, count: channels))
        let pixels = Float(planes.height * planes.width)
        let dx = needed[0] ? Tensor(uninitialized: gradient.shape, layout: gradient.layout) : nil
        gradient.withUnsafeBufferPointer { g in
            normalised.withUnsafeBufferPointer { n in
                for plane in 0..<planes.planes {
                    let offset = plane * planes.floatsPerPlane
                    let (g, n) = (g.baseAddress! + offset, n.baseAddress! + offset)
                    let (sumG, sumGN) = Kernels.laneMoments(g, n, count: planes.floatsPerPlane, lanes: planes.lanes)
                    var (factors, slopes, constants) = (laneValues(), laneValues(), laneValues())
                    for lane in 0..<planes.lanes {
                        guard let channel = planes.channel(plane: plane, lane: lane) else { continue }
                        dBeta[channel] += Float(sumG[lane])
                        dGamma[channel] += Float(sumGN[lane])
                        let factor = gamma[channel] * inverseDeviations[plane * planes.lanes + lane]
                        factors[lane] = factor
                        slopes[lane] = -factor * Float(sumGN[lane]) / pixels
                        constants[lane] = -factor * Float(sumG[lane]) / pixels
                    }
                    guard let dx else { continue }
                    Kernels.laneAffine(into: dx.storage.pointer + offset, g, factors, n, slopes, plus: constants,
                                       count: planes.floatsPerPlane, lanes: planes.lanes)
                }
            }
        }
        let parameterShape = Shape(1, channels, 1, 1)
        return [dx, needed[1] ? Tensor(shape: parameterShape, scalars: dGamma) : nil,
                needed[2] ? Tensor(shape: parameterShape, scalars: dBeta) : nil]
    }

    /// One plane's per-lane coefficients, zero until set (as a block's padding lanes stay).
    private func laneValues() -> [Float] {
        [Float](repeating: 0, count: planes.lanes)
    }
}

extension Tensor {
    /// A new tensor from pooled storage, every element written by `fill`.
    static func filled(_ shape: Shape, layout: Layout = .nchw,
                       _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
        var tensor = Tensor(uninitialized: shape, layout: layout)
        tensor.withUnsafeMutableBufferPointer(fill)
        return tensor
    }
}
