import ImpastoCore
import Testing
import _TestSupport

@Suite("Fake quantisation")
struct FakeQuantizationTests {
    private func quantised(_ values: [Float], _ grid: Int8Grid) -> [Float] {
        Tensor(shape: Shape(1, 1, 1, values.count), scalars: values).fakeQuantized(grid).scalars
    }

    /// Expected values printed by onnxruntime 1.32 for QuantizeLinear → DequantizeLinear (int8).
    @Test func tiesGoToEvenAndTheGridSaturatesAsInOnnxruntime() {
        let values: [Float] = [0.25, 0.75, 1.25, -0.25, -0.75, 100, -100, 63.5, 63.75, -64.25, 0, -0]
        #expect(quantised(values, Int8Grid(scale: 0.5, zeroPoint: 0)) == [0, 1, 1, 0, -1, 63.5, -64, 63.5, 63.5, -64, 0, 0])
    }

    /// The grid of the arbitrary transformer's sigmoid output: steps of 1/256 from 0.
    @Test func aZeroPointShiftsTheRangeAsInOnnxruntime() {
        let values: [Float] = [0, 0.5, 0.998, 1.5, -0.2, 0.001953125, 0.005859375]
        #expect(quantised(values, Int8Grid(scale: 0.00390625, zeroPoint: -128)) == [0, 0.5, 0.99609375, 0.99609375, 0, 0, 0.0078125])
    }

    @Test func everyLayoutGivesTheSameValuesAndKeepsPaddingLanesZero() {
        let x = randomTensor(Shape(1, 20, 3, 5), in: -3...3, seed: 61)
        let grid = Int8Grid(scale: 0.022740744, zeroPoint: -3)
        let blocked = x.laidOut(as: .nChw16c).fakeQuantized(grid)
        #expect(blocked.layout == .nChw16c)
        #expect(blocked.scalars == x.fakeQuantized(grid).scalars)
        let paddingLanes = blocked.withUnsafeBufferPointer { stored in
            (0..<15).flatMap { pixel in (4..<16).map { lane in stored[16 * 15 + pixel * 16 + lane] } }
        }
        #expect(paddingLanes.allSatisfy { $0 == 0 })
    }

    @Test func everyValueIsOnTheGridAndWithinHalfAStepInsideTheRange() {
        let x = randomTensor(Shape(2, 3, 4, 5), in: -2...2, seed: 62)
        let grid = Int8Grid(scale: 0.0125, zeroPoint: 7)
        for (value, onGrid) in zip(x.scalars, x.fakeQuantized(grid).scalars) {
            let step = (onGrid / grid.scale).rounded()
            #expect(step * grid.scale == onGrid && (-128...127).contains(step + 7))
            if (-135 * grid.scale...120 * grid.scale).contains(value) { #expect(abs(value - onGrid) <= grid.scale / 2 * 1.0001) }
        }
    }
}
