extension Kernels {
    /// Σ|x[y+1, x] − x[y, x]| + Σ|x[y, x+1] − x[y, x]| over every image and channel, in Double.
    static func totalVariation(_ image: Tensor) -> Double {
        let plain = image.storage(in: .nchw).pointer
        let (h, w) = (image.shape.h, image.shape.w)
        var total = 0.0
        for plane in 0..<(image.shape.n * image.shape.c) {
            let p = plain + plane * h * w
            var partial: Float = 0
            for y in 0..<h {
                for x in 0..<w {
                    let value = p[y * w + x]
                    if y + 1 < h { partial += abs(p[(y + 1) * w + x] - value) }
                    if x + 1 < w { partial += abs(p[y * w + x + 1] - value) }
                }
            }
            total += Double(partial)
        }
        return total
    }

    /// scale · ∂TV/∂image: each neighbour pair adds sign(difference) to one side and takes it
    /// from the other (sign(0) = 0, as TensorFlow's abs gradient). NCHW layout.
    static func totalVariationGradient(_ image: Tensor, scale: Float) -> Tensor {
        let plain = image.storage(in: .nchw).pointer
        let gradient = Tensor(zeros: image.shape)
        let g = gradient.storage.pointer
        let (h, w) = (image.shape.h, image.shape.w)
        for plane in 0..<(image.shape.n * image.shape.c) {
            let offset = plane * h * w
            for y in 0..<h {
                for x in 0..<w {
                    let here = offset + y * w + x
                    if y + 1 < h { accumulateSign(g, plain, from: here, to: here + w, scale: scale) }
                    if x + 1 < w { accumulateSign(g, plain, from: here, to: here + 1, scale: scale) }
                }
            }
        }
        return gradient
    }

    @inline(__always)
    private static func accumulateSign(_ g: UnsafeMutablePointer<Float>, _ p: UnsafeMutablePointer<Float>,
                                       from: Int, to: Int, scale: Float) {
        let difference = p[to] - p[from]
        let sign: Float = difference > 0 ? 1 : (difference < 0 ? -1 : 0)
        g[to] += scale * sign
        g[from] -= scale * sign
    }
}
