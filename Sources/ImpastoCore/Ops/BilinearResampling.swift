/// Where a resampling reads its input: for each of `images` images and each pixel of the
/// `height × width` output, a position (x, y) in input pixels (pixel centres at integers).
///
/// The positions are data, not tensors: a known motion (a training warp) has no gradient to
/// take, so the op differentiates only with respect to the image.
public struct SamplingGrid: Sendable, Equatable {
    public let images: Int
    public let height: Int
    public let width: Int
    /// (x, y) per output pixel, interleaved, image by image and row by row.
    public let positions: [Float]

    public init(images: Int, height: Int, width: Int, positions: [Float]) {
        precondition(positions.count == 2 * images * height * width,
                     "\(positions.count) values do not fill a grid of \(images) × \(height) × \(width) positions")
        (self.images, self.height, self.width, self.positions) = (images, height, width, positions)
    }

    /// `images × 1 × height × width`: 1 where the position lies inside an input of
    /// `inputHeight × inputWidth` (so it reads only real pixels), 0 where it falls outside.
    public func insideMask(inputHeight: Int, inputWidth: Int) -> Tensor {
        let (right, bottom) = (Float(inputWidth - 1), Float(inputHeight - 1))
        let values = (0..<(images * height * width)).map { pixel -> Float in
            let (x, y) = (positions[2 * pixel], positions[2 * pixel + 1])
            return x >= 0 && x <= right && y >= 0 && y <= bottom ? 1 : 0
        }
        return Tensor(shape: Shape(images, 1, height, width), scalars: values)
    }
}

/// `x` (`N × C × H × W`) bilinearly interpolated at `grid`'s positions: `N × C × h × w` for a
/// grid of `h × w`. Positions outside the image are clamped to it (the edge pixels repeat
/// outwards, as `Tensor.warped(by:)` does for video), so a warped training photo has no black
/// border; `SamplingGrid.insideMask` marks those pixels. The pullback spreads each output
/// gradient over the four pixels it read, with the same weights.
public func bilinearlyResampled(_ x: Tensor, at grid: SamplingGrid) -> Tensor {
    let shape = x.shape
    precondition(grid.images == shape.n, "bilinearlyResampled: a grid for \(grid.images) images, not \(shape.n)")
    let taps = BilinearTaps(grid, inputHeight: shape.h, inputWidth: shape.w)
    let input = x.laidOut(as: .nchw).detached()
    let outputShape = Shape(shape.n, shape.c, grid.height, grid.width)
    var output = Tensor(zeros: outputShape)
    output.withUnsafeMutableBufferPointer { out in
        input.withUnsafeBufferPointer { taps.gather(from: $0, into: out, channels: shape.c) }
    }
    return Tape.record("bilinear resample", inputs: [x], output: output) { dy, _ in
        let gradient = dy.laidOut(as: .nchw)
        var dx = Tensor(zeros: shape)
        dx.withUnsafeMutableBufferPointer { dx in
            gradient.withUnsafeBufferPointer { taps.scatter($0, into: dx, channels: shape.c) }
        }
        return [dx]
    }
}

/// For every output pixel of a grid, the four input pixels (offsets within one channel plane of
/// its image) that bilinear interpolation reads and their weights; shared by every channel.
private struct BilinearTaps {
    let images: Int
    let inputPlane: Int
    let outputPlane: Int
    /// Per output pixel, image by image: four offsets and four weights.
    var offsets: [Int] = []
    var weights: [Float] = []

    init(_ grid: SamplingGrid, inputHeight: Int, inputWidth: Int) {
        (images, inputPlane, outputPlane) = (grid.images, inputHeight * inputWidth, grid.height * grid.width)
        offsets.reserveCapacity(4 * images * outputPlane)
        weights.reserveCapacity(4 * images * outputPlane)
        for pixel in 0..<(images * outputPlane) {
            let x = min(max(grid.positions[2 * pixel], 0), Float(inputWidth - 1))
            let y = min(max(grid.positions[2 * pixel + 1], 0), Float(inputHeight - 1))
            let (x0, y0) = (Int(x), Int(y))
            let (x1, y1) = (min(x0 + 1, inputWidth - 1), min(y0 + 1, inputHeight - 1))
            let (fx, fy) = (x - Float(x0), y - Float(y0))
            offsets += [y0 * inputWidth + x0, y0 * inputWidth + x1, y1 * inputWidth + x0, y1 * inputWidth + x1]
            weights += [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy]
        }
    }

    /// out[n, c, p] += Σ weight · x[n, c, tap] (`out` starts at zero).
    func gather(from x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>, channels: Int) {
        forEachTap(channels: channels) { input, output, tap in out[output] += weights[tap] * x[input + offsets[tap]] }
    }

    /// dx[n, c, tap] += weight · dy[n, c, p]: the transpose of `gather`.
    func scatter(_ dy: UnsafeBufferPointer<Float>, into dx: UnsafeMutableBufferPointer<Float>, channels: Int) {
        forEachTap(channels: channels) { input, output, tap in dx[input + offsets[tap]] += weights[tap] * dy[output] }
    }

    /// Calls `body(input plane start, output index, tap index)` for every tap of every output value.
    private func forEachTap(channels: Int, _ body: (Int, Int, Int) -> Void) {
        for image in 0..<images {
            for channel in 0..<channels {
                let (input, output) = ((image * channels + channel) * inputPlane, (image * channels + channel) * outputPlane)
                for pixel in 0..<outputPlane {
                    let first = 4 * (image * outputPlane + pixel)
                    for tap in first..<(first + 4) { body(input, output + pixel, tap) }
                }
            }
        }
    }
}
