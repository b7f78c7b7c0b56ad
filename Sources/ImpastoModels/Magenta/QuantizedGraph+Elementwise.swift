import ImpastoCore

// The elementwise work of the quantised graphs that oneDNN's ops do not cover: inference only,
// on plain NCHW arrays, over the small per-channel tensors of instance norm.
extension Tensor {
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
