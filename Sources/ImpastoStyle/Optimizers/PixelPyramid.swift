import Foundation

/// An image written as a sum of images at halving sizes, each upsampled to full size:
/// x = Σₖ dᵏ · Uᵏ zₖ, with U a 2× linear (tent) upsampling, z₀ at full size and d the decay.
///
/// As L-BFGS's basis (see `LBFGSBasis`) it gives the starting inverse Hessian P Pᵀ, or P D Pᵀ
/// (P the map z → x). With U's 2×2 fan-in, a level k steps ≈ (4d²)ᵏ times further
/// along patterns of its size than along pixel noise: with d = 0.7 about 2ᵏ, so the preconditioner
/// grows like 1 / frequency. Deep VGG19 layers, which carry most of the Gatys loss, respond
/// mostly to such large patterns, and their pixel gradients come back spiky through max pooling.
public struct PixelPyramid: LBFGSBasis {
    public typealias Size = (height: Int, width: Int)

    public let channels: Int
    /// (height, width) of each level, the full size first; each half the last, rounded up.
    public let sizes: [Size]
    /// dᵏ for each level.
    let levelScales: [Float]
    /// Where each level starts in the flat vector of levels; the last entry is the total.
    let offsets: [Int]

    public init(channels: Int, height: Int, width: Int, levels: Int, decay: Float) {
        precondition(levels >= 1, "a pyramid has at least one level")
        self.channels = channels
        var sizes: [Size] = [(height, width)]
        while sizes.count < levels, sizes.last!.height > 1 || sizes.last!.width > 1 {
            sizes.append(((sizes.last!.height + 1) / 2, (sizes.last!.width + 1) / 2))
        }
        self.sizes = sizes
        levelScales = sizes.indices.map { Float(pow(Double(decay), Double($0))) }
        offsets = sizes.reduce(into: [0]) { $0.append($0.last! + channels * $1.height * $1.width) }
    }

    /// Length of the flat vector holding every level.
    public var count: Int { offsets.last! }
    private var imageCount: Int { offsets[1] }

    /// x = Σₖ dᵏ Uᵏ zₖ, coarsest first: acc ← U(acc) + dᵏ zₖ.
    public func expanded(_ levels: [Float]) -> [Float] {
        precondition(levels.count == count, "\(levels.count) values for a pyramid of \(count)")
        var accumulated = [Float](repeating: 0, count: 0)
        for level in sizes.indices.reversed() {
            if level < sizes.count - 1 {
                accumulated = upsampled(accumulated, from: sizes[level + 1], to: sizes[level])
            } else {
                accumulated = [Float](repeating: 0, count: offsets[level + 1] - offsets[level])
            }
            add(levels, level: level, to: &accumulated)
        }
        return accumulated
    }

    /// Pᵀ g: the gradient with respect to the levels from the gradient with respect to the image.
    public func contracted(_ imageGradient: [Float]) -> [Float] {
        precondition(imageGradient.count == imageCount, "a gradient of \(imageGradient.count) values for \(imageCount)")
        var result = [Float](repeating: 0, count: count)
        var carried = imageGradient
        for level in sizes.indices {
            if level > 0 { carried = upsampledTransposed(carried, from: sizes[level], to: sizes[level - 1]) }
            let scale = levelScales[level]
            result.withUnsafeMutableBufferPointer { result in
                carried.withUnsafeBufferPointer { carried in
                    let target = result.baseAddress! + offsets[level]
                    for i in carried.indices { target[i] = scale * carried[i] }
                }
            }
        }
        return result
    }

    private func add(_ levels: [Float], level: Int, to accumulated: inout [Float]) {
        let scale = levelScales[level]
        accumulated.withUnsafeMutableBufferPointer { accumulated in
            levels.withUnsafeBufferPointer { levels in
                let source = levels.baseAddress! + offsets[level]
                for i in accumulated.indices { accumulated[i] += scale * source[i] }
            }
        }
    }
}

// MARK: 2× tent upsampling and its transpose, separable, edges clamped

extension PixelPyramid {
    /// The two inputs an output of a 2× tent upsampling reads, weighted ¾ and ¼: its own input
    /// and the neighbour on its side.
    @inline(__always)
    static func taps(_ output: Int, inputCount: Int) -> (near: Int, far: Int) {
        let near = output / 2
        let far = output % 2 == 0 ? max(near - 1, 0) : min(near + 1, inputCount - 1)
        return (near, far)
    }

    /// U: rows widened from `small.width` to `large.width`, then columns lengthened from
    /// `small.height` to `large.height`.
    func upsampled(_ input: [Float], from small: Size, to large: Size) -> [Float] {
        var rows = [Float](repeating: 0, count: channels * small.height * large.width)
        var output = [Float](repeating: 0, count: channels * large.height * large.width)
        input.withUnsafeBufferPointer { input in
            rows.withUnsafeMutableBufferPointer { rows in
                forEachColumnTap(from: small, to: large) { row, x, near, far in
                    rows[row * large.width + x] = 0.75 * input[row * small.width + near] + 0.25 * input[row * small.width + far]
                }
            }
        }
        rows.withUnsafeBufferPointer { rows in
            output.withUnsafeMutableBufferPointer { output in
                forEachRowTap(from: small, to: large) { to, near, far in
                    for x in 0..<large.width { output[to + x] = 0.75 * rows[near + x] + 0.25 * rows[far + x] }
                }
            }
        }
        return output
    }

    /// Uᵀ: the same taps in reverse order, each output's gradient sent back to the two inputs it read.
    func upsampledTransposed(_ gradient: [Float], from small: Size, to large: Size) -> [Float] {
        var rows = [Float](repeating: 0, count: channels * small.height * large.width)
        var output = [Float](repeating: 0, count: channels * small.height * small.width)
        gradient.withUnsafeBufferPointer { gradient in
            rows.withUnsafeMutableBufferPointer { rows in
                forEachRowTap(from: small, to: large) { from, near, far in
                    for x in 0..<large.width {
                        rows[near + x] += 0.75 * gradient[from + x]
                        rows[far + x] += 0.25 * gradient[from + x]
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { rows in
            output.withUnsafeMutableBufferPointer { output in
                forEachColumnTap(from: small, to: large) { row, x, near, far in
                    output[row * small.width + near] += 0.75 * rows[row * large.width + x]
                    output[row * small.width + far] += 0.25 * rows[row * large.width + x]
                }
            }
        }
        return output
    }

    /// The horizontal pass: for each of the `channels × small.height` rows and each output column
    /// x, the input columns it reads.
    @inline(__always)
    private func forEachColumnTap(from small: Size, to large: Size,
                                  _ body: (_ row: Int, _ x: Int, _ near: Int, _ far: Int) -> Void) {
        for row in 0..<(channels * small.height) {
            for x in 0..<large.width {
                let (near, far) = Self.taps(x, inputCount: small.width)
                body(row, x, near, far)
            }
        }
    }

    /// The vertical pass: for each output row, its start and the starts of the two
    /// (already widened) input rows it reads.
    @inline(__always)
    private func forEachRowTap(from small: Size, to large: Size, _ body: (_ output: Int, _ near: Int, _ far: Int) -> Void) {
        for c in 0..<channels {
            for y in 0..<large.height {
                let (near, far) = Self.taps(y, inputCount: small.height)
                body((c * large.height + y) * large.width, (c * small.height + near) * large.width,
                     (c * small.height + far) * large.width)
            }
        }
    }
}
