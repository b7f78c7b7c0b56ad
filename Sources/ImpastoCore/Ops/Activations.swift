import Foundation

extension Tensor {
    /// 1 / (1 + e^−x), element-wise; the pullback uses the output: dy · y · (1 − y).
    public func sigmoid() -> Tensor {
        let input = laidOut(as: .nchw).detached()
        let y = Tensor(shape: shape, scalars: input.scalars.map { 1 / (1 + exp(-$0)) })
        return Tape.record("sigmoid", inputs: [self], output: y) { dy, _ in
            let g = dy.laidOut(as: .nchw).scalars
            return [Tensor(shape: y.shape, scalars: zip(g, y.scalars).map { $0 * $1 * (1 - $1) })]
        }
    }

    /// tanh(x), element-wise; the pullback uses the output: dy · (1 − y²).
    public func tanh() -> Tensor {
        let input = laidOut(as: .nchw).detached()
        let y = Tensor(shape: shape, scalars: input.scalars.map { Foundation.tanh($0) })
        return Tape.record("tanh", inputs: [self], output: y) { dy, _ in
            let g = dy.laidOut(as: .nchw).scalars
            return [Tensor(shape: y.shape, scalars: zip(g, y.scalars).map { $0 * (1 - $1 * $1) })]
        }
    }
}
