/// A dense motion field between two frames of the same size: for each pixel p of one frame,
/// the offset (dx, dy) such that p + (dx, dy) is where the same content lies in the other.
public struct FlowField: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// (dx, dy) per pixel, interleaved row by row: the layout OpenCV writes, so no copy is needed.
    public var vectors: [Float]

    public init(width: Int, height: Int, vectors: [Float]) {
        precondition(vectors.count == 2 * width * height, "\(vectors.count) values do not fill a \(width)×\(height) flow")
        (self.width, self.height, self.vectors) = (width, height, vectors)
    }

    /// The same offset everywhere: a pure translation.
    public init(uniformDX dx: Float, dy: Float, width: Int, height: Int) {
        self.init(width: width, height: height,
                  vectors: (0..<width * height).flatMap { _ in [dx, dy] })
    }

    public func vector(x: Int, y: Int) -> (dx: Float, dy: Float) {
        let index = 2 * (y * width + x)
        return (vectors[index], vectors[index + 1])
    }
}

/// Bilinear interpolation at (x, y), with the coordinates clamped to the image (the edge
/// pixels repeat outwards). The four neighbours and weights are worked out once, then
/// `sample` reads any number of channels: a warp reads three per pixel, the mask two.
struct BilinearTap {
    private let topLeft: Int, topRight: Int, bottomLeft: Int, bottomRight: Int
    private let fx: Float, fy: Float

    init(x: Float, y: Float, width: Int, height: Int) {
        let cx = min(max(x, 0), Float(width - 1))
        let cy = min(max(y, 0), Float(height - 1))
        let x0 = Int(cx), y0 = Int(cy)
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        (fx, fy) = (cx - Float(x0), cy - Float(y0))
        (topLeft, topRight) = (y0 * width + x0, y0 * width + x1)
        (bottomLeft, bottomRight) = (y1 * width + x0, y1 * width + x1)
    }

    /// Element (x, y) lies at `values[(y × width + x) × pixelStride + offset]`, which covers both
    /// planar images (stride 1, offset the plane's start) and interleaved flows (stride 2).
    func sample(_ values: UnsafeBufferPointer<Float>, pixelStride: Int, offset: Int) -> Float {
        func at(_ pixel: Int) -> Float { values[pixel * pixelStride + offset] }
        let top = at(topLeft) + (at(topRight) - at(topLeft)) * fx
        let bottom = at(bottomLeft) + (at(bottomRight) - at(bottomLeft)) * fx
        return top + (bottom - top) * fy
    }
}
