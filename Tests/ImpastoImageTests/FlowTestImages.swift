import Foundation
import ImpastoCore
import ImpastoImage

/// Small synthetic images for the flow tests.
enum FlowTestImages {
    /// A smooth texture (a few sinusoids per channel) with detail at several scales, so that
    /// optical flow has something to lock on to everywhere.
    static func texture(width: Int, height: Int) -> Tensor {
        var values = [Float](repeating: 0, count: 3 * width * height)
        for channel in 0..<3 {
            let phase = Float(channel) * 1.3
            for y in 0..<height {
                for x in 0..<width {
                    let (fx, fy) = (Float(x), Float(y))
                    let fine: Float = 0.2 * sin(fx * 0.21 + phase) * cos(fy * 0.17 - phase)
                    let diagonal: Float = 0.15 * sin((fx + 2 * fy) * 0.09 + phase)
                    let coarse: Float = 0.1 * cos((3 * fx - fy) * 0.05)
                    values[(channel * height + y) * width + x] = 0.5 + fine + diagonal + coarse
                }
            }
        }
        return Tensor(shape: Shape(1, 3, height, width), scalars: values)
    }

    /// `image` moved by (dx, dy): content at p ends up at p + (dx, dy), so the flow from
    /// `image` to the result is (dx, dy) everywhere (away from the borders).
    static func shifted(_ image: Tensor, dx: Float, dy: Float) -> Tensor {
        image.warped(by: FlowField(uniformDX: -dx, dy: -dy, width: image.shape.w, height: image.shape.h))
    }
}
