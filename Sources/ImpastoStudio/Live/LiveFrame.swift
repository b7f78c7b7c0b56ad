import ImpastoCore

/// A camera frame as the page sends it and gets it back: the canvas's RGBA bytes, row by row.
/// Raw pixels rather than JPEG: on loopback a 640×480 frame's 1.2 MB costs less than decoding
/// and encoding it twice, and the page draws the answer with one `putImageData`.
struct LiveFrame: Sendable {
    var width: Int
    var height: Int
    var rgba: [UInt8]

    /// `1 × 3 × H × W` in [0, 1], alpha dropped (a camera has none).
    var image: Tensor {
        let plane = width * height
        var values = [Float](repeating: 0, count: plane * 3)
        rgba.withUnsafeBufferPointer { bytes in
            for pixel in 0..<plane {
                values[pixel] = Float(bytes[pixel * 4]) / 255
                values[plane + pixel] = Float(bytes[pixel * 4 + 1]) / 255
                values[2 * plane + pixel] = Float(bytes[pixel * 4 + 2]) / 255
            }
        }
        return Tensor(shape: Shape(1, 3, height, width), scalars: values)
    }

    /// The frame of `image` (NCHW, any values: clipped to [0, 1]; NaN becomes 0), opaque.
    init(_ image: Tensor) {
        (width, height) = (image.shape.w, image.shape.h)
        let plane = width * height
        let values = image.laidOut(as: .nchw).scalars
        var bytes = [UInt8](repeating: 255, count: plane * 4)
        for pixel in 0..<plane {
            for channel in 0..<3 {
                let value = values[channel * plane + pixel]
                bytes[pixel * 4 + channel] = value.isNaN ? 0 : UInt8(min(max(value, 0), 1) * 255 + 0.5)
            }
        }
        rgba = bytes
    }

    init(width: Int, height: Int, rgba: [UInt8]) {
        (self.width, self.height, self.rgba) = (width, height, rgba)
    }
}
