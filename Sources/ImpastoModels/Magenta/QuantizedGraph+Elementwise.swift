import ImpastoCore

// The elementwise work of the quantised graphs that oneDNN's ops do not cover: inference only,
// on plain NCHW arrays, over the small per-channel tensors of instance norm or once per layer.
extension Tensor {
    /// The mean over each channel's pixels, `N × C × 1 × 1`.
    func spatialMean() -> Tensor {
        let plain = laidOut(as: .nchw).scalars
        let pixels = shape.h * shape.w
        let means = stride(from: 0, to: plain.count, by: pixels).map { start in
            plain[start..<(start + pixels)].reduce(0, +) / Float(pixels)
        }
        return Tensor(shape: Shape(shape.n, shape.c, 1, 1), scalars: means)
    }

    /// self ∘ other, `other` the same shape, `N × C × 1 × 1` (one value per channel) or a single value.
    func combined(with other: Tensor, _ operation: QuantizedGraph.Binary) -> Tensor {
        if operation == .add && other.shape == shape { return self + other }
        let (a, b) = (laidOut(as: .nchw).scalars, other.laidOut(as: .nchw).scalars)
        let pixels = shape.h * shape.w
        let perChannel = other.shape == Shape(shape.n, shape.c, 1, 1)
        precondition(other.shape == shape || perChannel || b.count == 1, "cannot broadcast \(other.shape) to \(shape)")
        let result = a.indices.map { index in
            let y = other.shape == shape ? b[index] : perChannel ? b[index / pixels] : b[0]
            return switch operation {
            case .add: a[index] + y
            case .subtract: a[index] - y
            case .multiply: a[index] * y
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    func mapped(_ operation: QuantizedGraph.Unary) -> Tensor {
        let values = laidOut(as: .nchw).scalars
        return Tensor(shape: shape, scalars: values.map { x in
            switch operation {
            case .squareRoot: x.squareRoot()
            case .reciprocal: 1 / x
            }
        })
    }
}
