/// The gradient of the scalar `loss` with respect to each of `targets` (leaves made with
/// `requiringGradient()`), each in NCHW layout with its target's shape.
///
/// Nodes are visited once each in reverse topological order (found without recursion, so deep
/// graphs cannot overflow the stack). Gradients of a tensor used more than once are summed. A
/// pullback is asked only for the gradients that lead to a target: in style transfer only the
/// image needs one, so no convolution computes its weight gradient.
public func gradients(of loss: Tensor, withRespectTo targets: [Tensor]) -> [Tensor] {
    precondition(loss.shape == .scalar, "gradients(of:) needs a scalar loss, not \(loss.shape)")
    return gradients(of: loss, withRespectTo: targets, seed: Tensor(repeating: 1, shape: .scalar))
}

/// The vector-Jacobian product: the gradient of `Σ output ⊙ seed` with respect to each target.
/// `seed` has output's shape; `gradients(of:withRespectTo:)` is the scalar case with seed 1.
public func gradients(of output: Tensor, withRespectTo targets: [Tensor], seed: Tensor) -> [Tensor] {
    precondition(seed.shape == output.shape, "seed \(seed.shape) must match the output \(output.shape)")
    let targetNodes = targets.map { target -> TapeNode in
        guard let node = target.node, node.pullback == nil else {
            preconditionFailure("Each target must be a leaf made with requiringGradient()")
        }
        return node
    }
    guard let root = output.node else { return targets.map { Tensor(zeros: $0.shape) } }

    let order = topologicalOrder(from: root)
    let leadsToTarget = nodesLeading(to: Set(targetNodes.map(ObjectIdentifier.init)), in: order)
    var accumulated: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]

    for node in order.reversed() {
        guard let pullback = node.pullback,
              let outputGradient = accumulated.removeValue(forKey: ObjectIdentifier(node)) else { continue }
        let needed = node.inputs.map { input in input.map { leadsToTarget.contains(ObjectIdentifier($0)) } ?? false }
        let inputGradients = pullback(outputGradient, needed)
        precondition(inputGradients.count == node.inputs.count, "\(node.operation): pullback returned the wrong count")
        for (input, gradient) in zip(node.inputs, inputGradients) {
            guard let input, let gradient, leadsToTarget.contains(ObjectIdentifier(input)) else { continue }
            precondition(gradient.shape == input.shape,
                         "\(node.operation): gradient \(gradient.shape) does not match its input \(input.shape)")
            let key = ObjectIdentifier(input)
            accumulated[key] = accumulated[key].map { Kernels.add($0, gradient) } ?? gradient
        }
    }
    return zip(targets, targetNodes).map { target, node in
        (accumulated[ObjectIdentifier(node)] ?? Tensor(zeros: target.shape)).laidOut(as: .nchw).detached()
    }
}

/// Every node reachable from `root`, each after all of its inputs.
private func topologicalOrder(from root: TapeNode) -> [TapeNode] {
    var order: [TapeNode] = []
    var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
    var stack: [(node: TapeNode, nextInput: Int)] = [(root, 0)]
    while let (node, nextInput) = stack.popLast() {
        if nextInput < node.inputs.count {
            stack.append((node, nextInput + 1))
            if let input = node.inputs[nextInput], visited.insert(ObjectIdentifier(input)).inserted {
                stack.append((input, 0))
            }
        } else {
            order.append(node)
        }
    }
    return order
}

/// The nodes in `order` that are targets or have a target among their (transitive) inputs.
private func nodesLeading(to targets: Set<ObjectIdentifier>, in order: [TapeNode]) -> Set<ObjectIdentifier> {
    var leading = targets
    for node in order where node.inputs.contains(where: { $0.map { leading.contains(ObjectIdentifier($0)) } ?? false }) {
        leading.insert(ObjectIdentifier(node))
    }
    return leading
}
