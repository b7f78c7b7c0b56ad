/// Naive Double-precision versions of the ops in `Ops/`, written as the textbook formulas.
public enum ReferenceOps {
    /// Cross-correlation with zero padding (`padding` before, `paddingAfter` after); weight is
    /// OIHW with I the channels of one of `groups` groups, bias one value per output channel.
    public static func conv2d(_ x: ReferenceTensor, weight: ReferenceTensor, bias: ReferenceTensor?,
                              stride: Int, padding: Int, paddingAfter: Int? = nil, groups: Int = 1) -> ReferenceTensor {
        let k = weight.shape.h
        let padded = padding + (paddingAfter ?? padding)
        let outH = (x.shape.h + padded - k) / stride + 1
        let outW = (x.shape.w + padded - k) / stride + 1
        let (inputsPerGroup, outputsPerGroup) = (x.shape.c / groups, weight.shape.n / groups)
        var y = ReferenceTensor(zeros: Shape(x.shape.n, weight.shape.n, outH, outW))
        for n in 0..<x.shape.n {
            for o in 0..<weight.shape.n {
                let firstInput = o / outputsPerGroup * inputsPerGroup
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        var total = bias?.values[o] ?? 0
                        for i in 0..<inputsPerGroup {
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let (iy, ix) = (oy * stride + ky - padding, ox * stride + kx - padding)
                                    guard iy >= 0, iy < x.shape.h, ix >= 0, ix < x.shape.w else { continue }
                                    total += x[n, firstInput + i, iy, ix] * weight[o, i, ky, kx]
                                }
                            }
                        }
                        y[n, o, oy, ox] = total
                    }
                }
            }
        }
        return y
    }

    public static func relu(_ x: ReferenceTensor) -> ReferenceTensor {
        ReferenceTensor(shape: x.shape, values: x.values.map { max($0, 0) })
    }

    public static func clipped(_ x: ReferenceTensor, to range: ClosedRange<Double>) -> ReferenceTensor {
        ReferenceTensor(shape: x.shape, values: x.values.map { min(max($0, range.lowerBound), range.upperBound) })
    }

    /// 2×2 windows, stride 2, floor output size.
    public static func pooled(_ x: ReferenceTensor, _ kind: Pooling) -> ReferenceTensor {
        var y = ReferenceTensor(zeros: Shape(x.shape.n, x.shape.c, x.shape.h / 2, x.shape.w / 2))
        for n in 0..<y.shape.n {
            for c in 0..<y.shape.c {
                for oy in 0..<y.shape.h {
                    for ox in 0..<y.shape.w {
                        let window = [x[n, c, 2 * oy, 2 * ox], x[n, c, 2 * oy, 2 * ox + 1],
                                      x[n, c, 2 * oy + 1, 2 * ox], x[n, c, 2 * oy + 1, 2 * ox + 1]]
                        y[n, c, oy, ox] = kind == .max ? window.max()! : window.reduce(0, +) / 4
                    }
                }
            }
        }
        return y
    }

    /// G[n][i][j] = Σₚ F[n][i][p]·F[n][j][p] / divisor, shape N×1×C×C.
    public static func gramMatrix(_ x: ReferenceTensor, divisor: Double) -> ReferenceTensor {
        let pixels = x.shape.h * x.shape.w
        var g = ReferenceTensor(zeros: Shape(x.shape.n, 1, x.shape.c, x.shape.c))
        for n in 0..<x.shape.n {
            for i in 0..<x.shape.c {
                for j in 0..<x.shape.c {
                    var total = 0.0
                    for p in 0..<pixels {
                        total += x.values[(n * x.shape.c + i) * pixels + p] * x.values[(n * x.shape.c + j) * pixels + p]
                    }
                    g[n, 0, i, j] = total / divisor
                }
            }
        }
        return g
    }

    public static func meanSquaredError(_ a: ReferenceTensor, _ b: ReferenceTensor) -> Double {
        zip(a.values, b.values).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(a.values.count)
    }

    public static func totalVariation(_ x: ReferenceTensor) -> Double {
        var total = 0.0
        for n in 0..<x.shape.n {
            for c in 0..<x.shape.c {
                for y in 0..<x.shape.h {
                    for column in 0..<x.shape.w {
                        if y + 1 < x.shape.h { total += abs(x[n, c, y + 1, column] - x[n, c, y, column]) }
                        if column + 1 < x.shape.w { total += abs(x[n, c, y, column + 1] - x[n, c, y, column]) }
                    }
                }
            }
        }
        return total
    }
}

// MARK: Fast style transfer's ops

extension ReferenceOps {
    public static func instanceNorm(_ x: ReferenceTensor, scale: ReferenceTensor, shift: ReferenceTensor,
                                    epsilon: Double = 1e-5) -> ReferenceTensor {
        var y = ReferenceTensor(zeros: x.shape)
        let plane = Double(x.shape.h * x.shape.w)
        for n in 0..<x.shape.n {
            for c in 0..<x.shape.c {
                var values: [Double] = []
                for i in 0..<x.shape.h { for j in 0..<x.shape.w { values.append(x[n, c, i, j]) } }
                let mean = values.reduce(0, +) / plane
                let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / plane
                for i in 0..<x.shape.h {
                    for j in 0..<x.shape.w {
                        y[n, c, i, j] = scale.values[c] * (x[n, c, i, j] - mean) / (variance + epsilon).squareRoot()
                            + shift.values[c]
                    }
                }
            }
        }
        return y
    }

    public static func reflectionPadded(_ x: ReferenceTensor, by p: Int) -> ReferenceTensor {
        var y = ReferenceTensor(zeros: Shape(x.shape.n, x.shape.c, x.shape.h + 2 * p, x.shape.w + 2 * p))
        func mirror(_ i: Int, _ size: Int) -> Int { i < 0 ? -i : (i >= size ? 2 * size - 2 - i : i) }
        for n in 0..<y.shape.n {
            for c in 0..<y.shape.c {
                for i in 0..<y.shape.h {
                    for j in 0..<y.shape.w {
                        y[n, c, i, j] = x[n, c, mirror(i - p, x.shape.h), mirror(j - p, x.shape.w)]
                    }
                }
            }
        }
        return y
    }

    public static func upsampledNearest2x(_ x: ReferenceTensor) -> ReferenceTensor {
        var y = ReferenceTensor(zeros: Shape(x.shape.n, x.shape.c, 2 * x.shape.h, 2 * x.shape.w))
        for n in 0..<y.shape.n {
            for c in 0..<y.shape.c {
                for i in 0..<y.shape.h { for j in 0..<y.shape.w { y[n, c, i, j] = x[n, c, i / 2, j / 2] } }
            }
        }
        return y
    }
}
