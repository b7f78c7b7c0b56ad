extension Tensor {
    /// max(x, 0), element-wise, in this tensor's layout. The pullback passes dy where the output
    /// is positive (oneDNN's eltwise backward, reading the output, not the input).
    public func relu() -> Tensor {
        let y = Kernels.relu(self)
        return Tape.record("relu", inputs: [self], output: y) { dy, _ in
            [Kernels.reluBackward(dy, output: y)]
        }
    }
}
