extension Tensor {
    /// 2×2 pooling with stride 2 (no padding): `N × C × ⌊H/2⌋ × ⌊W/2⌋`, in this tensor's layout.
    /// Max pooling sends each gradient to the position of its window's maximum; average pooling
    /// spreads it evenly over the window.
    public func pooled(_ kind: Pooling) -> Tensor {
        precondition(shape.h >= 2 && shape.w >= 2, "pooled: input \(shape) is smaller than the 2×2 window")
        let input = self
        let (y, workspace) = Kernels.pool(self, kind, training: isDifferentiable)
        return Tape.record("pool.\(kind.rawValue)", inputs: [self], output: y) { dy, _ in
            [Kernels.poolBackward(dy, input: input, kind, workspace: workspace)]
        }
    }
}
