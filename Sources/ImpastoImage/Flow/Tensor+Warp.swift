import ImpastoCore

extension Tensor {
    /// This `1 × C × H × W` image warped backwards by `flow`: output pixel p takes the
    /// bilinearly interpolated value at p + flow(p). So to bring frame t−1 onto frame t, pass
    /// the flow from frame t to frame t−1. Samples that fall outside the image take the
    /// nearest edge pixel (clamped coordinates); such pixels are unreliable and
    /// `ConsistencyMask` excludes them.
    public func warped(by flow: FlowField) -> Tensor {
        precondition(shape.n == 1 && shape.h == flow.height && shape.w == flow.width,
                     "cannot warp a \(shape) image by a \(flow.width)×\(flow.height) flow")
        let (width, height, plane) = (shape.w, shape.h, shape.h * shape.w)
        var output = [Float](repeating: 0, count: shape.count)
        scalars.withUnsafeBufferPointer { source in
            flow.vectors.withUnsafeBufferPointer { vectors in
                for y in 0..<height {
                    for x in 0..<width {
                        let pixel = y * width + x
                        let sx = Float(x) + vectors[2 * pixel], sy = Float(y) + vectors[2 * pixel + 1]
                        for channel in 0..<shape.c {
                            let channelValues = UnsafeBufferPointer(rebasing: source[(channel * plane)..<((channel + 1) * plane)])
                            output[channel * plane + pixel] = bilinearSample(
                                channelValues, width: width, height: height, pixelStride: 1, offset: 0, x: sx, y: sy)
                        }
                    }
                }
            }
        }
        return Tensor(shape: shape, scalars: output)
    }
}
