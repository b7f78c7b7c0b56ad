/// `conv2d(x, weight:, bias:)` at stride 1 without padding, computed 2 × 2 output pixels at a
/// time: a stride-2 convolution whose 4·Cout output channels are the four phases (dy, dx) of
/// each output block, with (K+1) × (K+1) kernels holding the original one shifted by (dy, dx).
///
/// oneDNN pads output channels to its block of 16, so a convolution to 3 channels (the style
/// network's last, 9 × 9 from 32 channels) does 16/3 of the work; with 12 channels the waste
/// is 4/3, and the larger kernels add (K+1)²/K². At 720p that layer fell from 354 to 114 ms.
///
/// - Parameters:
///   - x: `N × Cin × H × W`, any layout, with H − K + 1 and W − K + 1 even.
///   - weight: `Cout × Cin × K × K`, NCHW.
///   - bias: `1 × Cout × 1 × 1`, or nil.
/// - Returns: `N × Cout × (H − K + 1) × (W − K + 1)` in NCHW.
public func conv2dByOutputPhases(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    let kernel = weight.shape.h
    precondition((x.shape.h - kernel + 1) % 2 == 0 && (x.shape.w - kernel + 1) % 2 == 0,
                 "conv2dByOutputPhases: output of \(x.shape) under a \(kernel)×\(kernel) kernel must have even sides")
    let phases = conv2d(x, weight: phaseKernels(weight), bias: bias.map(phaseBiases), stride: 2)
    return interleavedPhases(phases)
}

/// The four output phases' kernels: phase p = 2·dy + dx of output channel o is channel 4·o + p,
/// its (K+1) × (K+1) kernel the original placed at offset (dy, dx), zeros elsewhere.
private func phaseKernels(_ weight: Tensor) -> Tensor {
    let (outputs, inputs, kernel) = (weight.shape.n, weight.shape.c, weight.shape.h)
    let phased = Shape(4 * outputs, inputs, kernel + 1, kernel + 1)
    /// The index in `phased` of each original weight, for phase `phase`.
    func target(_ phase: Int, _ index: Int) -> Int {
        let (column, row) = (index % kernel, index / kernel % kernel)
        let (input, output) = (index / (kernel * kernel) % inputs, index / (kernel * kernel * inputs))
        return (((4 * output + phase) * inputs + input) * (kernel + 1) + row + phase / 2) * (kernel + 1) + column + phase % 2
    }
    let original = weight.laidOut(as: .nchw).detached()
    var result = Tensor(zeros: phased)
    result.withUnsafeMutableBufferPointer { out in
        original.withUnsafeBufferPointer { w in
            for phase in 0..<4 { for index in w.indices { out[target(phase, index)] = w[index] } }
        }
    }
    return Tape.record("phase kernels", inputs: [weight], output: result) { dy, _ in
        let gradient = dy.laidOut(as: .nchw)
        return [Tensor.filled(weight.shape) { dw in
            gradient.withUnsafeBufferPointer { g in
                for index in dw.indices {
                    dw[index] = g[target(0, index)] + g[target(1, index)] + g[target(2, index)] + g[target(3, index)]
                }
            }
        }]
    }
}

/// Each bias repeated for its four phases.
private func phaseBiases(_ bias: Tensor) -> Tensor {
    let values = bias.scalars
    let result = Tensor(shape: Shape(1, 4 * values.count, 1, 1), scalars: values.flatMap { Array(repeating: $0, count: 4) })
    return Tape.record("phase biases", inputs: [bias], output: result) { dy, _ in
        let g = dy.scalars
        return [Tensor(shape: bias.shape, scalars: (0..<values.count).map { g[(4 * $0)..<(4 * $0 + 4)].reduce(0, +) })]
    }
}

/// N × 4C × h × w phases to N × C × 2h × 2w pixels: channel 4·c + 2·dy + dx holds the pixels
/// (2Y + dy, 2X + dx) of channel c. The pullback gathers them back.
private func interleavedPhases(_ phases: Tensor) -> Tensor {
    let input = phases.laidOut(as: .nchw).detached()
    let (small, channels) = (input.shape, input.shape.c / 4)
    let large = Shape(small.n, channels, 2 * small.h, 2 * small.w)
    /// The index in the phases of pixel (y, x) of plane `plane` (image · C + channel).
    func source(_ plane: Int, _ y: Int, _ x: Int) -> Int {
        ((4 * plane + 2 * (y % 2) + x % 2) * small.h + y / 2) * small.w + x / 2
    }
    let output = Tensor.filled(large) { out in
        input.withUnsafeBufferPointer { p in
            for plane in 0..<(large.n * channels) {
                for y in 0..<large.h {
                    let row = (plane * large.h + y) * large.w
                    for x in 0..<large.w { out[row + x] = p[source(plane, y, x)] }
                }
            }
        }
    }
    return Tape.record("interleave phases", inputs: [phases], output: output) { dy, _ in
        let gradient = dy.laidOut(as: .nchw)
        return [Tensor.filled(small) { dp in
            gradient.withUnsafeBufferPointer { g in
                for plane in 0..<(large.n * channels) {
                    for y in 0..<large.h {
                        let row = (plane * large.h + y) * large.w
                        for x in 0..<large.w { dp[source(plane, y, x)] = g[row + x] }
                    }
                }
            }
        }]
    }
}
