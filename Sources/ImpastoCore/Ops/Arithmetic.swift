extension Tensor {
    /// Element-wise sum; b is reordered to a's layout if they differ.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        Tape.record("add", inputs: [a, b], output: Kernels.add(a, b)) { dy, needed in
            [needed[0] ? dy : nil, needed[1] ? dy : nil]
        }
    }

    /// Every element multiplied by `factor`.
    public func scaled(by factor: Float) -> Tensor {
        Tape.record("scale", inputs: [self], output: Kernels.scaled(self, by: factor)) { dy, _ in
            [Kernels.scaled(dy, by: factor)]
        }
    }

    /// The sum of all elements, as a `[1, 1, 1, 1]` tensor.
    public func sum() -> Tensor {
        let shape = self.shape
        let total = Tensor(shape: .scalar, scalars: [Float(Kernels.sum(self))])
        return Tape.record("sum", inputs: [self], output: total) { dy, _ in
            [Tensor(repeating: dy.item, shape: shape)]
        }
    }

    /// The same values in `layout` (a oneDNN reorder when it differs from the current one).
    public func laidOut(as target: Layout) -> Tensor {
        if target == layout { return self }
        let output = Tensor(shape: shape, layout: target, storage: storage(in: target))
        let source = layout
        return Tape.record("reorder", inputs: [self], output: output) { dy, _ in
            [Tensor(shape: dy.shape, layout: source, storage: dy.storage(in: source))]
        }
    }
}
