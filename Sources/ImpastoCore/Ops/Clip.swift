extension Tensor {
    /// Every element clamped to `range` (ReLU6 is `0…6`), in this tensor's layout. A Swift loop:
    /// one cheap pass over memory. The pullback passes dy where x lies strictly inside the range.
    public func clipped(to range: ClosedRange<Float>) -> Tensor {
        let x = self
        let y = Tensor.filled(shape, layout: layout) { out in
            x.withUnsafeBufferPointer { values in
                for i in values.indices { out[i] = Swift.min(Swift.max(values[i], range.lowerBound), range.upperBound) }
            }
        }
        return Tape.record("clip", inputs: [self], output: y) { dy, _ in
            let incoming = dy.laidOut(as: x.layout)
            let dx = Tensor.filled(x.shape, layout: x.layout) { out in
                x.withUnsafeBufferPointer { values in
                    incoming.withUnsafeBufferPointer { gradient in
                        for i in values.indices {
                            let inside = values[i] > range.lowerBound && values[i] < range.upperBound
                            out[i] = inside ? gradient[i] : 0
                        }
                    }
                }
            }
            return [dx]
        }
    }
}
