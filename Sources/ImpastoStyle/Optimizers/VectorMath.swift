/// The optimisers' vector arithmetic on image-sized Float arrays. Sums accumulate in SIMD
/// lanes per 1024-element block and in Double across blocks: fast, and the order is fixed, so
/// results are the same on every run.

func dot(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "dot of \(a.count) and \(b.count) elements")
    return a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            blockSum(count: a.count) { i in a[i] * b[i] } simd: { i in
                load16(a, i) * load16(b, i)
            }
        }
    }
}

/// Σ aᵢ wᵢ bᵢ; the plain dot product when `weights` is nil.
func weightedDot(_ a: [Float], _ b: [Float], weights: [Float]?) -> Double {
    guard let weights else { return dot(a, b) }
    precondition(a.count == b.count && a.count == weights.count, "weighted dot of mismatched arrays")
    return a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            weights.withUnsafeBufferPointer { w in
                blockSum(count: a.count) { i in a[i] * w[i] * b[i] } simd: { i in
                    load16(a, i) * load16(w, i) * load16(b, i)
                }
            }
        }
    }
}

func sum(_ a: [Float]) -> Double {
    a.withUnsafeBufferPointer { a in
        blockSum(count: a.count) { i in a[i] } simd: { i in load16(a, i) }
    }
}

func l1Norm(_ a: [Float]) -> Double {
    a.withUnsafeBufferPointer { a in
        blockSum(count: a.count) { i in abs(a[i]) } simd: { i in
            let v = load16(a, i)
            return v.replacing(with: -v, where: v .< 0)
        }
    }
}

/// max |aᵢ| without building the array of magnitudes; 0 for an empty array, NaN if any aᵢ is
/// NaN (so a NaN gradient never passes for a converged one).
func maxMagnitude(_ a: [Float]) -> Float {
    a.reduce(0) { result, value in result.isNaN || value.isNaN ? .nan : max(result, abs(value)) }
}

/// x + factor · y, as a new array.
func axpy(_ x: [Float], _ y: [Float], _ factor: Float) -> [Float] {
    var result = x
    addScaled(y, factor, to: &result)
    return result
}

/// x += factor · y, in place.
func addScaled(_ y: [Float], _ factor: Float, to x: inout [Float]) {
    precondition(x.count == y.count, "adding \(y.count) elements to \(x.count)")
    x.withUnsafeMutableBufferPointer { x in
        y.withUnsafeBufferPointer { y in
            for i in x.indices { x[i] += factor * y[i] }
        }
    }
}

/// x *= factor, in place.
func scale(_ x: inout [Float], by factor: Float) {
    x.withUnsafeMutableBufferPointer { x in
        for i in x.indices { x[i] *= factor }
    }
}

/// x *= weights, element by element, in place.
func multiply(_ x: inout [Float], by weights: [Float]) {
    precondition(x.count == weights.count, "multiplying \(x.count) elements by \(weights.count) weights")
    x.withUnsafeMutableBufferPointer { x in
        weights.withUnsafeBufferPointer { w in
            for i in x.indices { x[i] *= w[i] }
        }
    }
}

/// target = factor · source, reusing target's storage when it has the right size.
func assign(_ target: inout [Float], scaled source: [Float], by factor: Float) {
    resize(&target, to: source.count)
    target.withUnsafeMutableBufferPointer { t in
        source.withUnsafeBufferPointer { s in
            for i in t.indices { t[i] = factor * s[i] }
        }
    }
}

/// target = a − b, reusing target's storage when it has the right size.
func assign(_ target: inout [Float], difference a: [Float], _ b: [Float]) {
    precondition(a.count == b.count, "difference of \(a.count) and \(b.count) elements")
    resize(&target, to: a.count)
    target.withUnsafeMutableBufferPointer { t in
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in t.indices { t[i] = a[i] - b[i] }
            }
        }
    }
}

private func resize(_ array: inout [Float], to count: Int) {
    if array.count != count { array = [Float](repeating: 0, count: count) }
}

private func load16(_ buffer: UnsafeBufferPointer<Float>, _ index: Int) -> SIMD16<Float> {
    UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: SIMD16<Float>.self)
}

/// Σ term(i) over 0..<count: `simd(i)` covers elements i..<i+16 where a block has room.
private func blockSum(count: Int, scalar: (Int) -> Float, simd: (Int) -> SIMD16<Float>) -> Double {
    var total = 0.0
    var start = 0
    while start < count {
        let end = min(start + 1024, count)
        var lanes = SIMD16<Float>()
        var i = start
        while i + 16 <= end {
            lanes += simd(i)
            i += 16
        }
        var partial = lanes.sum()
        while i < end {
            partial += scalar(i)
            i += 1
        }
        total += Double(partial)
        start = end
    }
    return total
}
