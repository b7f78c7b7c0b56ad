/// The arithmetic between a feature map and a per-channel or single value that the quantised
/// Magenta graphs spell out node by node (their instance norms are means, differences and
/// products).
public enum BroadcastOperation: Sendable {
    case add, subtract, multiply

    /// Runs `body` with the operation as a function, chosen once outside the loops it runs so
    /// that each loop is compiled (and vectorised) for one operation.
    @inline(__always)
    func dispatch(_ body: ((Float, Float) -> Float) -> Void) {
        switch self {
        case .add: body(+)
        case .subtract: body(-)
        case .multiply: body(*)
        }
    }
}

extension Tensor {
    /// self ∘ `other`, where `other` has self's shape, is `N × C × 1 × 1` (one value per
    /// channel) or holds one value. Inference only.
    ///
    /// Runs in self's channel-blocked layout, reading `other` per (block, lane), so the full-size
    /// maps around a convolution are never reordered; a block's padding lanes meet 0 and stay 0.
    public func broadcasting(_ operation: BroadcastOperation, _ other: Tensor) -> Tensor {
        precondition(!isDifferentiable && !other.isDifferentiable, "broadcasting is for inference; detach first")
        let input = inPlanarLayout()
        if other.shape == shape {
            let second = other.laidOut(as: input.layout)
            return Tensor.filled(shape, layout: input.layout) { out in
                input.withUnsafeBufferPointer { a in
                    second.withUnsafeBufferPointer { b in
                        operation.dispatch { apply in
                            for i in out.indices { out[i] = apply(a[i], b[i]) }
                        }
                    }
                }
            }
        }
        let planes = PixelPlanes(shape, input.layout)
        let values = other.laneValues(for: planes)
        return Tensor.filled(shape, layout: input.layout) { out in
            input.withUnsafeBufferPointer { a in
                values.withUnsafeBufferPointer { v in
                    operation.dispatch { apply in
                        let lanes = planes.lanes
                        for plane in 0..<planes.planes {
                            let (start, laneValues) = (plane * planes.floatsPerPlane, v.baseAddress! + plane * lanes)
                            for pixel in stride(from: start, to: start + planes.floatsPerPlane, by: lanes) {
                                for lane in 0..<lanes { out[pixel + lane] = apply(a[pixel + lane], laneValues[lane]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A per-channel or single value spread over `planes`' planes and lanes, 0 in padding lanes.
    private func laneValues(for planes: PixelPlanes) -> [Float] {
        let perChannel = shape == Shape(planes.images, planes.channels, 1, 1)
        precondition(perChannel || shape.count == 1,
                     "cannot broadcast \(shape) to \(planes.images)×\(planes.channels)×\(planes.height)×\(planes.width)")
        let source = scalars
        var values = [Float](repeating: 0, count: planes.planes * planes.lanes)
        for plane in 0..<planes.planes {
            for lane in 0..<planes.lanes {
                guard let channel = planes.channel(plane: plane, lane: lane) else { continue }
                let image = plane / planes.planesPerImage
                values[plane * planes.lanes + lane] = perChannel ? source[image * planes.channels + channel] : source[0]
            }
        }
        return values
    }

    /// The mean over each channel's pixels, `N × C × 1 × 1`, read in the tensor's own layout.
    /// Each channel is summed in pixel order, as a plain NCHW loop would, so the quantised graphs
    /// see the same rounding. Inference only.
    public func spatialMean() -> Tensor {
        precondition(!isDifferentiable, "spatialMean is for inference; detach first")
        let input = inPlanarLayout()
        let planes = PixelPlanes(shape, input.layout)
        var means = [Float](repeating: 0, count: shape.n * shape.c)
        input.withUnsafeBufferPointer { x in
            let sums = UnsafeMutableBufferPointer<Float>.allocate(capacity: planes.lanes)
            defer { sums.deallocate() }
            for plane in 0..<planes.planes {
                sums.initialize(repeating: 0)
                let start = plane * planes.floatsPerPlane
                for pixel in stride(from: start, to: start + planes.floatsPerPlane, by: planes.lanes) {
                    for lane in 0..<planes.lanes { sums[lane] += x[pixel + lane] }
                }
                for lane in 0..<planes.lanes {
                    guard let channel = planes.channel(plane: plane, lane: lane) else { continue }
                    means[plane / planes.planesPerImage * shape.c + channel] = sums[lane] / Float(shape.h * shape.w)
                }
            }
        }
        return Tensor(shape: Shape(shape.n, shape.c, 1, 1), scalars: means)
    }
}
