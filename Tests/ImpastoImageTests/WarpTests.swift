import ImpastoCore
import ImpastoImage
import Testing
import _TestSupport

@Suite("Backward warping by a flow")
struct WarpTests {
    /// The largest difference between `warped` and `expected(x, y, channel)` over pixels at
    /// least `margin` from the border.
    private func worstInteriorError(_ warped: Tensor, margin: Int, _ expected: (Int, Int, Int) -> Float) -> Float {
        let (width, height) = (warped.shape.w, warped.shape.h)
        let values = warped.scalars
        var worst: Float = 0
        for channel in 0..<3 {
            for y in margin..<(height - margin) {
                for x in margin..<(width - margin) {
                    worst = max(worst, abs(values[(channel * height + y) * width + x] - expected(x, y, channel)))
                }
            }
        }
        return worst
    }

    @Test func integerShiftCopiesPixels() {
        let image = randomTensor(Shape(1, 3, 24, 32), in: 0...1, seed: 7)
        let source = image.scalars
        let warped = image.warped(by: FlowField(uniformDX: 3, dy: -2, width: 32, height: 24))
        let error = worstInteriorError(warped, margin: 3) { x, y, c in source[(c * 24 + y - 2) * 32 + x + 3] }
        #expect(error <= 1e-3, "worst error \(error)")
    }

    /// Bilinear interpolation reproduces a linear ramp exactly, so a sub-pixel shift of a ramp
    /// must land on the ramp's value at the shifted point.
    @Test func subPixelShiftOfARampIsExact() {
        let (width, height) = (32, 24)
        func ramp(_ x: Float, _ y: Float, _ c: Int) -> Float { 0.1 + 0.02 * x + 0.015 * y + 0.05 * Float(c) }
        var values = [Float](repeating: 0, count: 3 * width * height)
        for c in 0..<3 { for y in 0..<height { for x in 0..<width {
            values[(c * height + y) * width + x] = ramp(Float(x), Float(y), c)
        } } }
        let image = Tensor(shape: Shape(1, 3, height, width), scalars: values)
        let warped = image.warped(by: FlowField(uniformDX: 1.37, dy: -0.62, width: width, height: height))
        let error = worstInteriorError(warped, margin: 2) { x, y, c in ramp(Float(x) + 1.37, Float(y) - 0.62, c) }
        #expect(error <= 1e-3, "worst error \(error)")
    }

    /// Outside the image the edge pixel repeats.
    @Test func samplesOutsideTakeTheEdge() {
        let image = randomTensor(Shape(1, 3, 6, 8), in: 0...1, seed: 3)
        let warped = image.warped(by: FlowField(uniformDX: -20, dy: 0, width: 8, height: 6))
        let (source, output) = (image.scalars, warped.scalars)
        #expect((0..<6).allSatisfy { y in (0..<8).allSatisfy { x in output[y * 8 + x] == source[y * 8] } })
    }
}
