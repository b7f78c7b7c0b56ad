/// An image-sized vector kept as bfloat16: the upper 16 bits of each Float, rounded to nearest
/// even. L-BFGS holds 100 curvature pairs and its two-loop recursion streams every one of them
/// twice per iteration; in Float32 that pass is bound by memory bandwidth, and half the bytes
/// (with each sweep fused with the next pair's dot product) made it about twice as fast.
///
/// Values are rounded before anything is computed from them (`roundToBFloat16`), so the
/// recursion is exact BFGS on the stored pairs and resuming from saved pairs is bit-identical.
struct BFloat16Vector: Sendable {
    private(set) var bits: [UInt16] = []

    init() {}

    /// `values` must already be bfloat16 values (see `roundToBFloat16`); their low bits are dropped.
    init(exactly values: [Float]) {
        bits = values.map { UInt16(truncatingIfNeeded: $0.bitPattern >> 16) }
    }

    var count: Int { bits.count }

    var floats: [Float] { bits.map(Float.init(bfloat16:)) }

    /// Overwrites this vector with `values` (bfloat16 values), reusing the storage.
    mutating func assign(exactly values: [Float]) {
        if bits.count != values.count { bits = [UInt16](repeating: 0, count: values.count) }
        bits.withUnsafeMutableBufferPointer { bits in
            for i in values.indices { bits[i] = UInt16(truncatingIfNeeded: values[i].bitPattern >> 16) }
        }
    }

    /// selfᵀq.
    func dot(_ q: [Float]) -> Double {
        precondition(q.count == count, "dot of \(count) and \(q.count) elements")
        return bits.withUnsafeBufferPointer { v in
            q.withUnsafeBufferPointer { q in
                blockSum(count: q.count) { i in Float(bfloat16: v[i]) * q[i] } simd: { i in load16(v, i) * load16(q, i) }
            }
        }
    }

    /// q += factor · self, and returns nextᵀq of the updated q from the same sweep (0 without
    /// `next`): the recursion's update and its next dot product read q once instead of twice.
    func add(scaledBy factor: Float, to q: inout [Float], thenDot next: BFloat16Vector?) -> Double {
        precondition(q.count == count && (next?.count ?? count) == count, "mismatched recursion vectors")
        return bits.withUnsafeBufferPointer { v in
            (next?.bits ?? []).withUnsafeBufferPointer { n in
                q.withUnsafeMutableBufferPointer { q in
                    let hasNext = n.count == q.count
                    let scale = SIMD16<Float>(repeating: factor)
                    return blockSum(count: q.count) { i in
                        q[i] += factor * Float(bfloat16: v[i])
                        return hasNext ? Float(bfloat16: n[i]) * q[i] : 0
                    } simd: { i in
                        let updated = load16(UnsafeBufferPointer(q), i) + scale * load16(v, i)
                        UnsafeMutableRawPointer(q.baseAddress! + i).storeBytes(of: updated, as: SIMD16<Float>.self)
                        return hasNext ? load16(n, i) * updated : SIMD16()
                    }
                }
            }
        }
    }
}

/// Rounds each value to the nearest bfloat16 (ties to even), in place; NaN stays NaN.
func roundToBFloat16(_ values: inout [Float]) {
    values.withUnsafeMutableBufferPointer { values in
        for i in values.indices where !values[i].isNaN {
            let bits = values[i].bitPattern
            let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000
            values[i] = Float(bitPattern: rounded)
        }
    }
}

extension Float {
    init(bfloat16 bits: UInt16) { self.init(bitPattern: UInt32(bits) << 16) }
}

private func load16(_ buffer: UnsafeBufferPointer<UInt16>, _ index: Int) -> SIMD16<Float> {
    let bits = UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: SIMD16<UInt16>.self)
    return unsafeBitCast(SIMD16<UInt32>(truncatingIfNeeded: bits) &<< 16, to: SIMD16<Float>.self)
}
