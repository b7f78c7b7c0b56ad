/// Reflection padding by `padding` pixels on every side (PyTorch's `ReflectionPad2d`): the
/// border row or column is the mirror, so a 3-pixel row `a b c` padded by 1 is `b a b c b`.
/// Whole pixels move, so it runs in the input's layout (NHWC is computed in NCHW). The
/// pullback adds each padded pixel's gradient back onto the pixel it mirrors.
public func reflectionPadded(_ x: Tensor, by padding: Int) -> Tensor {
    let input = x.inPlanarLayout().detached()
    let (shape, layout) = (input.shape, input.layout)
    precondition(padding >= 0 && padding < shape.h && padding < shape.w,
                 "reflectionPadded: padding \(padding) needs an input larger than it, not \(shape)")
    let padded = Shape(shape.n, shape.c, shape.h + 2 * padding, shape.w + 2 * padding)
    let (from, to) = (PixelPlanes(shape, layout), PixelPlanes(padded, layout))
    func source(_ i: Int, _ size: Int) -> Int {
        let j = i - padding
        return j < 0 ? -j : (j >= size ? 2 * (size - 1) - j : j)
    }
    let rows = (0..<padded.h).map { source($0, shape.h) }
    let columns = (0..<padded.w).map { source($0, shape.w) }
    let borderColumns = Array(0..<padding) + Array((padding + shape.w)..<padded.w)
    let lanes = from.lanes
    let output = Tensor.filled(padded, layout: layout) { out in
        input.withUnsafeBufferPointer { x in
            for plane in 0..<from.planes {
                for y in 0..<to.height {
                    let (target, row) = (out.baseAddress! + to.rowStart(plane, y), x.baseAddress! + from.rowStart(plane, rows[y]))
                    (target + padding * lanes).update(from: row, count: from.floatsPerRow)
                    for column in borderColumns {
                        (target + column * lanes).update(from: row + columns[column] * lanes, count: lanes)
                    }
                }
            }
        }
    }
    return Tape.record("reflection pad", inputs: [x], output: output) { dy, _ in
        let gradient = dy.laidOut(as: layout)
        var dx = Tensor(zeros: shape, layout: layout)
        dx.withUnsafeMutableBufferPointer { dx in
            gradient.withUnsafeBufferPointer { g in
                for plane in 0..<from.planes {
                    for y in 0..<to.height {
                        let (row, target) = (g.baseAddress! + to.rowStart(plane, y), dx.baseAddress! + from.rowStart(plane, rows[y]))
                        let interior = row + padding * lanes
                        for i in 0..<from.floatsPerRow { target[i] += interior[i] }
                        for column in borderColumns {
                            let (pixel, mirrored) = (row + column * lanes, target + columns[column] * lanes)
                            for lane in 0..<lanes { mirrored[lane] += pixel[lane] }
                        }
                    }
                }
            }
        }
        return [dx]
    }
}

/// Nearest-neighbour 2× upsampling: every pixel becomes a 2 × 2 block, in the input's layout
/// (NHWC is computed in NCHW). The pullback sums each block's gradients.
public func upsampledNearest2x(_ x: Tensor) -> Tensor {
    let input = x.inPlanarLayout().detached()
    let (shape, layout) = (input.shape, input.layout)
    let large = Shape(shape.n, shape.c, shape.h * 2, shape.w * 2)
    let (from, to) = (PixelPlanes(shape, layout), PixelPlanes(large, layout))
    let lanes = from.lanes
    let output = Tensor.filled(large, layout: layout) { out in
        input.withUnsafeBufferPointer { x in
            for plane in 0..<from.planes {
                for y in 0..<from.height {
                    let (top, row) = (out.baseAddress! + to.rowStart(plane, 2 * y), x.baseAddress! + from.rowStart(plane, y))
                    for column in 0..<from.width {
                        (top + 2 * column * lanes).update(from: row + column * lanes, count: lanes)
                        (top + (2 * column + 1) * lanes).update(from: row + column * lanes, count: lanes)
                    }
                    (top + to.floatsPerRow).update(from: top, count: to.floatsPerRow)
                }
            }
        }
    }
    return Tape.record("upsample 2x", inputs: [x], output: output) { dy, _ in
        let gradient = dy.laidOut(as: layout)
        let dx = Tensor.filled(shape, layout: layout) { dx in
            gradient.withUnsafeBufferPointer { g in
                for plane in 0..<from.planes {
                    for y in 0..<from.height {
                        let (top, target) = (g.baseAddress! + to.rowStart(plane, 2 * y), dx.baseAddress! + from.rowStart(plane, y))
                        let bottom = top + to.floatsPerRow
                        for column in 0..<from.width {
                            let (left, right) = (2 * column * lanes, (2 * column + 1) * lanes)
                            for lane in 0..<lanes {
                                target[column * lanes + lane] = top[left + lane] + top[right + lane]
                                    + bottom[left + lane] + bottom[right + lane]
                            }
                        }
                    }
                }
            }
        }
        return [dx]
    }
}
