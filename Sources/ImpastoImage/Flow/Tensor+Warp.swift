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
        let (width, height, plane, channels) = (shape.w, shape.h, shape.h * shape.w, shape.c)
        var result = Tensor(zeros: shape)
        withPlanes { source in
            flow.vectors.withUnsafeBufferPointer { vectors in
                result.withUnsafeMutableBufferPointer { output in
                    for y in 0..<height {
                        for x in 0..<width {
                            let pixel = y * width + x
                            let tap = BilinearTap(x: Float(x) + vectors[2 * pixel], y: Float(y) + vectors[2 * pixel + 1],
                                                  width: width, height: height)
                            for channel in 0..<channels {
                                output[channel * plane + pixel] = tap.sample(source, pixelStride: 1, offset: channel * plane)
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}

extension Tensor {
    /// The values in NCHW order, read in place when they are stored that way (video frames
    /// are): `scalars` copies, 3.7 MB per 640×480 frame, and the flow path reads each frame
    /// several times per frame.
    func withPlanes<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try laidOut(as: .nchw).withUnsafeBufferPointer(body)
    }
}
