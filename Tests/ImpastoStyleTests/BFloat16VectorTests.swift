@testable import ImpastoStyle
import Testing

@Suite("bfloat16 curvature pairs")
struct BFloat16VectorTests {
    @Test func roundsToTheNearestBFloat16WithTiesToEven() {
        // 1 + 2⁻⁸ lies halfway between 1 and 1 + 2⁻⁷ (bfloat16 keeps 7 fraction bits): to even, 1.
        // 1 + 3·2⁻⁸ lies halfway between 1 + 2⁻⁷ and 1 + 2⁻⁶: to even, 1 + 2⁻⁶.
        let (halfUp, oddHalfUp, aboveHalf): (Float, Float, Float) = (1 + 0x1p-8, 1 + 3 * 0x1p-8, 1 + 0x1p-8 + 0x1p-20)
        let expected: [Float] = [1, 1 + 0x1p-6, 1 + 0x1p-7, -2.5]
        var values: [Float] = [halfUp, oddHalfUp, aboveHalf, -2.5, .nan, .infinity]
        roundToBFloat16(&values)
        #expect(Array(values[0..<4]) == expected)
        #expect(values[4].isNaN && values[5] == .infinity)
        #expect(BFloat16Vector(exactly: values).floats[0..<4] == values[0..<4])
    }

    /// The fused sweep must equal the update followed by a separate dot product, over a length
    /// that leaves a tail outside the 16-wide SIMD blocks.
    @Test func theFusedUpdateEqualsUpdateThenDot() {
        let count = 2 * 1024 + 37
        var a: [Float] = (0..<count).map { i in Float((i * 7919) % 211) / 50 - 2 }
        var b: [Float] = (0..<count).map { i in Float((i * 104_729) % 173) / 40 - 2 }
        roundToBFloat16(&a)
        roundToBFloat16(&b)
        let (step, next) = (BFloat16Vector(exactly: a), BFloat16Vector(exactly: b))
        var fused: [Float] = (0..<count).map { i in Float(i % 13) - 6 }
        var separate = fused
        let fusedDot = step.add(scaledBy: 0.75, to: &fused, thenDot: next)
        for i in separate.indices { separate[i] += 0.75 * a[i] }
        var expectedDot = 0.0
        for i in b.indices { expectedDot += Double(b[i]) * Double(separate[i]) }
        let separateDot: Double = next.dot(separate)
        #expect(fused == separate)
        let withoutNext: Double = step.add(scaledBy: 1, to: &separate, thenDot: nil)
        #expect(abs(fusedDot - expectedDot) <= 1e-5 * abs(expectedDot))
        #expect(separateDot == fusedDot)
        #expect(withoutNext == 0)
    }
}
