import Foundation

extension Tensor {
    /// 1 / (1 + e^−x), element-wise; the pullback uses the output: dy · y · (1 − y).
    public func sigmoid() -> Tensor {
        elementwise("sigmoid", { 1 / (1 + exp(-$0)) }, derivative: { y in y * (1 - y) })
    }

    /// tanh(x), element-wise; the pullback uses the output: dy · (1 − y²).
    public func tanh() -> Tensor {
        elementwise("tanh", { Foundation.tanh($0) }, derivative: { y in 1 - y * y })
    }

    /// An element-wise function whose derivative is a function of its output.
    private func elementwise(_ name: String, _ function: (Float) -> Float,
                             derivative: @escaping @Sendable (Float) -> Float) -> Tensor {
        let input = laidOut(as: .nchw).detached()
        let y = Tensor.filled(shape) { out in
            input.withUnsafeBufferPointer { x in for i in x.indices { out[i] = function(x[i]) } }
        }
        return Tape.record(name, inputs: [self], output: y) { dy, _ in
            let gradient = dy.laidOut(as: .nchw)
            return [Tensor.filled(y.shape) { dx in
                gradient.withUnsafeBufferPointer { g in
                    y.withUnsafeBufferPointer { y in for i in g.indices { dx[i] = g[i] * derivative(y[i]) } }
                }
            }]
        }
    }
}
