import ImpastoCore

extension Tensor {
    /// `window` of every image and channel: `N × C × window.height × window.width`, NCHW (a
    /// blocked tensor is reordered first). Pullback: the gradient placed in the window of a
    /// tensor of zeros the input's size.
    func cropped(to window: PixelWindow) -> Tensor {
        let plain = laidOut(as: .nchw)
        let shape = plain.shape
        var part = Tensor(zeros: Shape(shape.n, shape.c, window.height, window.width))
        let rows = WindowRows(window, whole: shape, part: part.shape)
        plain.withUnsafeBufferPointer { whole in
            part.withUnsafeMutableBufferPointer { part in
                rows.forEach { wholeStart, partStart in
                    (part.baseAddress! + partStart).update(from: whole.baseAddress! + wholeStart, count: rows.length)
                }
            }
        }
        return Tape.record("crop", inputs: [plain], output: part) { dy, _ in
            var whole = Tensor(zeros: shape)
            whole.write(dy, at: window, adding: false)
            return [whole]
        }
    }

    /// Adds `part` (`N × C × window.height × window.width`) into `window` of this NCHW tensor,
    /// off the tape.
    mutating func add(_ part: Tensor, at window: PixelWindow) {
        write(part, at: window, adding: true)
    }

    private mutating func write(_ part: Tensor, at window: PixelWindow, adding: Bool) {
        precondition(layout == .nchw, "writing a window needs an NCHW tensor, not \(layout)")
        let plainPart = part.laidOut(as: .nchw)
        let rows = WindowRows(window, whole: shape, part: plainPart.shape)
        plainPart.withUnsafeBufferPointer { part in
            withUnsafeMutableBufferPointer { whole in
                rows.forEach { wholeStart, partStart in
                    let (target, source) = (whole.baseAddress! + wholeStart, part.baseAddress! + partStart)
                    if adding {
                        for i in 0..<rows.length { target[i] += source[i] }
                    } else {
                        target.update(from: source, count: rows.length)
                    }
                }
            }
        }
    }
}

/// The rows a window of an NCHW tensor `whole` shares with an NCHW tensor `part` its size:
/// the offset of each row's start in both, and the row's length.
private struct WindowRows {
    let window: PixelWindow
    let whole: Shape
    let part: Shape
    var length: Int { part.w }

    init(_ window: PixelWindow, whole: Shape, part: Shape) {
        precondition(part.n == whole.n && part.c == whole.c && part.h == window.height && part.w == window.width
                     && window.rows.upperBound <= whole.h && window.columns.upperBound <= whole.w,
                     "window \(window.rows)×\(window.columns) of \(whole) does not match \(part)")
        self.window = window
        self.whole = whole
        self.part = part
    }

    func forEach(_ body: (_ wholeStart: Int, _ partStart: Int) -> Void) {
        for plane in 0..<part.n * part.c {
            for row in 0..<part.h {
                body((plane * whole.h + window.rows.lowerBound + row) * whole.w + window.columns.lowerBound,
                     (plane * part.h + row) * part.w)
            }
        }
    }
}

/// Σ x ⊙ constant over all elements, as a scalar tensor, differentiable in `x` only: with the
/// gradient of a loss with respect to x as the constant, its gradient is that of the loss.
/// Both are NCHW of one shape.
func innerProduct(_ x: Tensor, constant: Tensor) -> Tensor {
    precondition(x.shape == constant.shape, "innerProduct: \(x.shape) vs \(constant.shape)")
    let total = zip(x.scalars, constant.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    return Tape.record("inner product", inputs: [x], output: Tensor(shape: .scalar, scalars: [Float(total)])) { dy, _ in
        [constant.scaled(by: dy.item)]
    }
}
