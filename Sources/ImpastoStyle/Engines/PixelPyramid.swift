/// An image written as a sum of images at halving sizes, each upsampled to full size:
/// x = Σₖ dᵏ · Uᵏ zₖ, with U a 2× linear (tent) upsampling, z₀ at full size and d the decay.
///
/// L-BFGS over the levels z instead of the pixels x is L-BFGS over x with P Pᵀ as its starting
/// inverse Hessian (P the map z → x). With U's 2×2 fan-in, a level k steps ≈ (4d²)ᵏ times further
/// along patterns of its size than along pixel noise: with d = 0.7 about 2ᵏ, so the preconditioner
/// grows like 1 / frequency. Deep VGG19 layers, which carry most of the Gatys loss, respond
/// mostly to such large patterns, and their pixel gradients come back spiky through max pooling.
public struct PixelPyramid: Sendable {
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

    /// Levels that reproduce `image` exactly: the image at full size, zero elsewhere.
    public func levels(of image: [Float]) -> [Float] {
        precondition(image.count == imageCount, "an image of \(image.count) values for a pyramid of \(imageCount)")
        return image + [Float](repeating: 0, count: count - imageCount)
    }

    /// x = Σₖ dᵏ Uᵏ zₖ, coarsest first: acc ← U(acc) + dᵏ zₖ.
    public func image(of levels: [Float]) -> [Float] {
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
    public func levelGradient(of imageGradient: [Float]) -> [Float] {
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

    func upsampled(_ input: [Float], from small: Size, to large: Size) -> [Float] {
        var rows = [Float](repeating: 0, count: channels * small.height * large.width)
        var output = [Float](repeating: 0, count: channels * large.height * large.width)
        input.withUnsafeBufferPointer { input in
            rows.withUnsafeMutableBufferPointer { rows in
                for row in 0..<(channels * small.height) {
                    let from = input.baseAddress! + row * small.width, to = rows.baseAddress! + row * large.width
                    for x in 0..<large.width {
                        let (near, far) = Self.taps(x, inputCount: small.width)
                        to[x] = 0.75 * from[near] + 0.25 * from[far]
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { rows in
            output.withUnsafeMutableBufferPointer { output in
                for c in 0..<channels {
                    for y in 0..<large.height {
                        let (near, far) = Self.taps(y, inputCount: small.height)
                        let nearRow = rows.baseAddress! + (c * small.height + near) * large.width
                        let farRow = rows.baseAddress! + (c * small.height + far) * large.width
                        let to = output.baseAddress! + (c * large.height + y) * large.width
                        for x in 0..<large.width { to[x] = 0.75 * nearRow[x] + 0.25 * farRow[x] }
                    }
                }
            }
        }
        return output
    }

    /// Uᵀ: each output's gradient sent back to the two inputs it read, with the same weights.
    func upsampledTransposed(_ gradient: [Float], from small: Size, to large: Size) -> [Float] {
        var rows = [Float](repeating: 0, count: channels * small.height * large.width)
        var output = [Float](repeating: 0, count: channels * small.height * small.width)
        gradient.withUnsafeBufferPointer { gradient in
            rows.withUnsafeMutableBufferPointer { rows in
                for c in 0..<channels {
                    for y in 0..<large.height {
                        let (near, far) = Self.taps(y, inputCount: small.height)
                        let nearRow = rows.baseAddress! + (c * small.height + near) * large.width
                        let farRow = rows.baseAddress! + (c * small.height + far) * large.width
                        let from = gradient.baseAddress! + (c * large.height + y) * large.width
                        for x in 0..<large.width {
                            nearRow[x] += 0.75 * from[x]
                            farRow[x] += 0.25 * from[x]
                        }
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { rows in
            output.withUnsafeMutableBufferPointer { output in
                for row in 0..<(channels * small.height) {
                    let from = rows.baseAddress! + row * large.width, to = output.baseAddress! + row * small.width
                    for x in 0..<large.width {
                        let (near, far) = Self.taps(x, inputCount: small.width)
                        to[near] += 0.75 * from[x]
                        to[far] += 0.25 * from[x]
                    }
                }
            }
        }
        return output
    }
}

import Foundation
