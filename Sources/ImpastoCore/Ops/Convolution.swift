/// 2-D convolution (cross-correlation, as in every deep-learning framework).
///
/// - Parameters:
///   - x: input, `N × Cin × H × W`, any layout.
///   - weight: `Cout × Cin/groups × K × K` (OIHW), NCHW layout.
///   - bias: `1 × Cout × 1 × 1`, or nil.
///   - stride: 1 or 2, the same on both axes.
///   - padding: zeros added before (top, left); `paddingAfter` zeros after (bottom, right),
///     the same as `padding` unless given.
///   - groups: channel groups; each output group sees only its input group (`groups` = Cin =
///     Cout is a depthwise convolution).
/// - Returns: `N × Cout × ⌊(H + padding + paddingAfter − K)/stride⌋+1 × …`, in the blocked
///   layout oneDNN chose.
///
/// The pullback runs oneDNN's backward-data primitive for x and its backward-weights primitive
/// (weights and bias together) only when a gradient for them is needed.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                   paddingAfter: Int? = nil, groups: Int = 1) -> Tensor {
    let geometry = convolutionGeometry(x, weight: weight, bias: bias, stride: stride, padding: padding,
                                       paddingAfter: paddingAfter, groups: groups)
    let y = Kernels.convolution(x, weight: weight, bias: bias, geometry: geometry)
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    return Tape.record("conv2d", inputs: inputs, output: y) { dy, needed in
        convolutionPullback(dy, needed, x: x, weight: weight, geometry: geometry)
    }
}

/// `conv2d(…).relu()` as one oneDNN primitive (ReLU as a post-op): one pass over the output
/// instead of two, and no pre-activation tensor kept. The pullback applies ReLU's backward
/// (which needs only the output) and then the convolution's.
public func conv2dReLU(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    let geometry = convolutionGeometry(x, weight: weight, bias: bias, stride: stride, padding: padding)
    let y = Kernels.convolution(x, weight: weight, bias: bias, geometry: geometry, fusedReLU: true)
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    return Tape.record("conv2d+relu", inputs: inputs, output: y) { dy, needed in
        convolutionPullback(Kernels.reluBackward(dy, output: y), needed, x: x, weight: weight, geometry: geometry)
    }
}

private func convolutionGeometry(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int,
                                 paddingAfter: Int? = nil, groups: Int = 1) -> ConvolutionGeometry {
    precondition(groups >= 1 && x.shape.c % groups == 0 && weight.shape.n % groups == 0,
                 "conv2d: \(groups) groups do not divide \(x.shape.c) inputs and \(weight.shape.n) outputs")
    precondition(weight.shape.c * groups == x.shape.c && weight.shape.h == weight.shape.w,
                 "conv2d: weight \(weight.shape) does not fit input \(x.shape) in \(groups) groups")
    precondition(weight.layout == .nchw, "conv2d: weights must be in NCHW (OIHW) layout")
    precondition(bias.map { $0.shape == Shape(1, weight.shape.n, 1, 1) } ?? true, "conv2d: bias must be 1×Cout×1×1")
    let padded = padding + (paddingAfter ?? padding)
    precondition(x.shape.h + padded >= weight.shape.h && x.shape.w + padded >= weight.shape.w,
                 "conv2d: input \(x.shape) smaller than the kernel")
    return ConvolutionGeometry(input: x.shape, outputChannels: weight.shape.n, kernel: weight.shape.h, stride: stride,
                               padding: padding, paddingAfter: paddingAfter, groups: groups, hasBias: bias != nil)
}

/// Gradients for x (backward-data) and for weight and bias (backward-weights, one primitive
/// for both), each computed only when needed.
private func convolutionPullback(_ dy: Tensor, _ needed: [Bool], x: Tensor, weight: Tensor,
                                 geometry: ConvolutionGeometry) -> [Tensor?] {
    let dx = needed[0] ? Kernels.convolutionBackwardData(dy, weight: weight, geometry: geometry) : nil
    let parameterCount = needed.count - 1
    guard needed.dropFirst().contains(true) else { return [dx] + Array(repeating: nil, count: parameterCount) }
    let parameters = Kernels.convolutionBackwardWeights(x, dy, geometry: geometry)
    return [dx, parameters.weight] + (geometry.hasBias ? [parameters.bias] : [])
}
