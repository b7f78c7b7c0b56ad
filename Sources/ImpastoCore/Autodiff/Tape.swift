/// One recorded operation: the nodes of its inputs and the pullback that maps the gradient of
/// its output to gradients of its inputs.
///
/// A tensor carries a node only when some gradient may flow through it: leaves marked with
/// `requiringGradient()` and outputs of ops that have such an input. Ops whose inputs carry no
/// node record nothing, so the tape holds just the path from the marked tensors to the loss.
final class TapeNode {
    let operation: String
    let shape: Shape
    let inputs: [TapeNode?]
    /// Given the output's gradient and which inputs need one, returns one gradient per input
    /// (`nil` where not needed). `nil` for leaves.
    let pullback: ((Tensor, [Bool]) -> [Tensor?])?

    init(operation: String, shape: Shape, inputs: [TapeNode?], pullback: ((Tensor, [Bool]) -> [Tensor?])?) {
        self.operation = operation
        self.shape = shape
        self.inputs = inputs
        self.pullback = pullback
    }
}

/// Reverse-mode differentiation over the nodes tensors carry.
public enum Tape {
    /// Returns `output`, recording `pullback` when any input takes part in differentiation.
    ///
    /// The pullback receives the gradient of `output` and, per input, whether that input needs a
    /// gradient; it returns a gradient (or `nil`) for each input.
    public static func record(_ operation: String, inputs: [Tensor], output: Tensor,
                              pullback: @escaping (Tensor, [Bool]) -> [Tensor?]) -> Tensor {
        let inputNodes = inputs.map(\.node)
        guard inputNodes.contains(where: { $0 != nil }) else { return output }
        var result = output
        result.node = TapeNode(operation: operation, shape: output.shape, inputs: inputNodes, pullback: pullback)
        return result
    }
}

extension Tensor {
    /// This tensor as a leaf whose gradient `gradients(of:withRespectTo:)` can return.
    public func requiringGradient() -> Tensor {
        var leaf = self
        leaf.node = TapeNode(operation: "leaf", shape: shape, inputs: [], pullback: nil)
        return leaf
    }

    /// Whether gradients can flow to this tensor.
    public var isDifferentiable: Bool { node != nil }

    /// The same values, cut off from the tape.
    public func detached() -> Tensor {
        var copy = self
        copy.node = nil
        return copy
    }
}
