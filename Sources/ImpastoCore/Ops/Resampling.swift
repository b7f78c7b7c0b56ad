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
    var output = [Float](repeating: 0, count: padded.count)
    input.withUnsafeBufferPointer { x in
        for plane in 0..<(shape.n * shape.c) {
            for y in 0..<padded.h {
                let (out, from) = ((plane * padded.h + y) * padded.w, (plane * shape.h + rows[y]) * shape.w)
                for column in 0..<padded.w { output[out + column] = x[from + columns[column]] }
            }
        }
    }
    return Tape.record("reflection pad", inputs: [x], output: Tensor(shape: padded, scalars: output)) { dy, _ in
        let g = dy.laidOut(as: .nchw).scalars
        var dx = [Float](repeating: 0, count: shape.count)
        for plane in 0..<(shape.n * shape.c) {
            for y in 0..<padded.h {
                let (out, to) = ((plane * padded.h + y) * padded.w, (plane * shape.h + rows[y]) * shape.w)
                for column in 0..<padded.w { dx[to + columns[column]] += g[out + column] }
            }
        }
        return [Tensor(shape: shape, scalars: dx)]
    }
}

/// Nearest-neighbour 2× upsampling: every pixel becomes a 2 × 2 block. The pullback sums
/// each block's gradients.
public func upsampledNearest2x(_ x: Tensor) -> Tensor {
    let input = x.laidOut(as: .nchw).detached()
    let shape = input.shape
    let large = Shape(shape.n, shape.c, shape.h * 2, shape.w * 2)
    var output = [Float](repeating: 0, count: large.count)
    input.withUnsafeBufferPointer { x in
        for plane in 0..<(shape.n * shape.c) {
            for y in 0..<large.h {
                let (out, from) = ((plane * large.h + y) * large.w, (plane * shape.h + y / 2) * shape.w)
                for column in 0..<large.w { output[out + column] = x[from + column / 2] }
            }
        }
    }
    return Tape.record("upsample 2x", inputs: [x], output: Tensor(shape: large, scalars: output)) { dy, _ in
        let g = dy.laidOut(as: .nchw).scalars
        var dx = [Float](repeating: 0, count: shape.count)
        for plane in 0..<(shape.n * shape.c) {
            for y in 0..<large.h {
                let (out, to) = ((plane * large.h + y) * large.w, (plane * shape.h + y / 2) * shape.w)
                for column in 0..<large.w { dx[to + column / 2] += g[out + column] }
            }
        }
        return [Tensor(shape: shape, scalars: dx)]
    }
}
