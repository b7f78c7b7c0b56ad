/// Reflection padding by `padding` pixels on every side (PyTorch's `ReflectionPad2d`): the
/// border row or column is the mirror, so a 3-pixel row `a b c` padded by 1 is `b a b c b`.
/// The pullback adds each padded pixel's gradient back onto the pixel it mirrors.
public func reflectionPadded(_ x: Tensor, by padding: Int) -> Tensor {
    let input = x.laidOut(as: .nchw).detached()
    let shape = input.shape
    precondition(padding >= 0 && padding < shape.h && padding < shape.w,
                 "reflectionPadded: padding \(padding) needs an input larger than it, not \(shape)")
    let padded = Shape(shape.n, shape.c, shape.h + 2 * padding, shape.w + 2 * padding)
    func source(_ i: Int, _ size: Int) -> Int {
        let j = i - padding
        return j < 0 ? -j : (j >= size ? 2 * (size - 1) - j : j)
    }
    let rows = (0..<padded.h).map { source($0, shape.h) }
    let columns = (0..<padded.w).map { source($0, shape.w) }
    let output = Tensor.filled(padded) { out in
        input.withUnsafeBufferPointer { x in
            for plane in 0..<(shape.n * shape.c) {
                for y in 0..<padded.h {
                    let (to, from) = ((plane * padded.h + y) * padded.w, (plane * shape.h + rows[y]) * shape.w)
                    for column in 0..<padding { out[to + column] = x[from + columns[column]] }
                    for column in padding..<(padding + shape.w) { out[to + column] = x[from + column - padding] }
                    for column in (padding + shape.w)..<padded.w { out[to + column] = x[from + columns[column]] }
                }
            }
        }
    }
    return Tape.record("reflection pad", inputs: [x], output: output) { dy, _ in
        let gradient = dy.laidOut(as: .nchw)
        var dx = Tensor(zeros: shape)
        dx.withUnsafeMutableBufferPointer { dx in
            gradient.withUnsafeBufferPointer { g in
                for plane in 0..<(shape.n * shape.c) {
                    for y in 0..<padded.h {
                        let (from, to) = ((plane * padded.h + y) * padded.w, (plane * shape.h + rows[y]) * shape.w)
                        for column in 0..<padded.w { dx[to + columns[column]] += g[from + column] }
                    }
                }
            }
        }
        return [dx]
    }
}

/// Nearest-neighbour 2× upsampling: every pixel becomes a 2 × 2 block. The pullback sums
/// each block's gradients.
public func upsampledNearest2x(_ x: Tensor) -> Tensor {
    let input = x.laidOut(as: .nchw).detached()
    let shape = input.shape
    let large = Shape(shape.n, shape.c, shape.h * 2, shape.w * 2)
    let output = Tensor.filled(large) { out in
        input.withUnsafeBufferPointer { x in
            for plane in 0..<(shape.n * shape.c) {
                for y in 0..<large.h {
                    let (to, from) = ((plane * large.h + y) * large.w, (plane * shape.h + y / 2) * shape.w)
                    for column in 0..<shape.w {
                        out[to + 2 * column] = x[from + column]
                        out[to + 2 * column + 1] = x[from + column]
                    }
                }
            }
        }
    }
    return Tape.record("upsample 2x", inputs: [x], output: output) { dy, _ in
        let gradient = dy.laidOut(as: .nchw)
        let dx = Tensor.filled(shape) { dx in
            gradient.withUnsafeBufferPointer { g in
                for plane in 0..<(shape.n * shape.c) {
                    for y in 0..<shape.h {
                        let (to, top) = ((plane * shape.h + y) * shape.w, (plane * large.h + 2 * y) * large.w)
                        for column in 0..<shape.w {
                            let left = top + 2 * column
                            dx[to + column] = g[left] + g[left + 1] + g[left + large.w] + g[left + large.w + 1]
                        }
                    }
                }
            }
        }
        return [dx]
    }
}
