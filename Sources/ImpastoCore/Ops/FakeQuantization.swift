/// One tensor's int8 grid: the per-tensor scale and zero point of an ONNX `QuantizeLinear` /
/// `DequantizeLinear` pair, which the int8 TFLite conversions of Magenta's networks put after
/// almost every op (fake quantisation of activations).
public struct Int8Grid: Sendable, Hashable {
    public var scale: Float
    public var zeroPoint: Int8

    public init(scale: Float, zeroPoint: Int8) {
        precondition(scale > 0 && scale.isFinite, "Int8Grid: the scale must be positive and finite, not \(scale)")
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// (clamp(rint(x / scale) + zeroPoint, −128…127) − zeroPoint) · scale, all in Float32: the
    /// rounded quotient and the difference are whole numbers, so this is exactly onnxruntime's
    /// integer path, ties to even included, and a NaN stays NaN instead of trapping.
    ///
    /// Rounds by adding and subtracting 1.5 · 2²³, which leaves the nearest whole number (ties to
    /// even) for |x / scale| < 2²²: an inlined add rather than a call to `rintf` per element, a
    /// third of a quantised network's time otherwise. Larger quotients may round to a neighbour
    /// but are clamped to the same end of the grid either way.
    @inline(__always)
    func nearest(_ x: Float) -> Float {
        let offset = Float(zeroPoint)
        let magic: Float = 12_582_912
        let rounded = (x / scale + magic) - magic
        let level = Swift.min(Swift.max(rounded + offset, -128), 127)
        return (level - offset) * scale
    }

    /// `nearest` of every element of `source` into `target` (the same buffer is allowed), 16 at
    /// a time: the same arithmetic on SIMD lanes, with the clamp written as comparisons so that
    /// a NaN stays NaN.
    func quantize(_ source: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>) {
        typealias Lanes = SIMD16<Float>
        let (scale, offset) = (Lanes(repeating: self.scale), Lanes(repeating: Float(zeroPoint)))
        let (magic, lowest, highest) = (Lanes(repeating: 12_582_912), Lanes(repeating: -128), Lanes(repeating: 127))
        let (input, output) = (UnsafeRawPointer(source.baseAddress!), UnsafeMutableRawPointer(target.baseAddress!))
        let whole = source.count / Lanes.scalarCount * Lanes.scalarCount
        for start in stride(from: 0, to: whole, by: Lanes.scalarCount) {
            let x = input.loadUnaligned(fromByteOffset: start * 4, as: Lanes.self)
            var level = ((x / scale + magic) - magic) + offset
            level.replace(with: lowest, where: level .< lowest)
            level.replace(with: highest, where: level .> highest)
            output.storeBytes(of: (level - offset) * scale, toByteOffset: start * 4, as: Lanes.self)
        }
        for i in whole..<source.count { target[i] = nearest(source[i]) }
    }
}

extension Tensor {
    /// Every element moved to the nearest value `grid` can hold: QuantizeLinear then
    /// DequantizeLinear, bit for bit as onnxruntime computes them, so the quantised networks
    /// can be matched exactly. Runs in any layout: 0 maps to 0, so a block's padding lanes stay 0.
    ///
    /// Inference only: a staircase has no useful derivative, so a tensor on the tape is refused
    /// (a network trained through it would need a straight-through estimator, chosen on purpose).
    public func fakeQuantized(_ grid: Int8Grid) -> Tensor {
        precondition(!isDifferentiable, "fakeQuantized is for inference; detach the tensor first")
        return Tensor.filled(shape, layout: layout) { out in
            withUnsafeBufferPointer { x in grid.quantize(x, into: out) }
        }
    }

    /// `fakeQuantized(grid)` in place: the buffer is reused when no other tensor shares it, which
    /// spares a quantised graph an allocation per activation quantisation.
    public mutating func fakeQuantize(_ grid: Int8Grid) {
        precondition(!isDifferentiable, "fakeQuantize is for inference; detach the tensor first")
        withUnsafeMutableBufferPointer { x in grid.quantize(UnsafeBufferPointer(x), into: x) }
    }
}
