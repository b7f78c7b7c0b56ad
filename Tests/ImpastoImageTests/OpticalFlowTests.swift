import ImpastoCore
import ImpastoImage
import Testing

@Suite("DIS optical flow through OpenCV")
struct OpticalFlowTests {
    /// DIS on a 160×120 texture moved by a sub-pixel amount: the median flow over the interior
    /// is within 0.1 px of the shift, and nine pixels in ten within 0.35 px (FAST measured
    /// 0.25 px on (3, −2); frames this small give DIS few pyramid levels and patches).
    @Test(arguments: [(Float(3), Float(-2)), (2.5, 1.25)])
    func recoversAKnownShift(_ dx: Float, _ dy: Float) throws {
        let source = FlowTestImages.texture(width: 160, height: 120)
        let target = FlowTestImages.shifted(source, dx: dx, dy: dy)
        let flow = try OpticalFlow().flow(from: source, to: target)
        var errors: [Float] = []
        for y in 12..<108 { for x in 12..<148 {
            let (u, v) = flow.vector(x: x, y: y)
            errors.append(((u - dx) * (u - dx) + (v - dy) * (v - dy)).squareRoot())
        } }
        errors.sort()
        let median = errors[errors.count / 2], ninetieth = errors[errors.count * 9 / 10]
        #expect(median <= 0.1, "median error \(median) px")
        #expect(ninetieth <= 0.35, "90th percentile of the error \(ninetieth) px")
    }

    @Test func rejectsFramesOfDifferentSizes() throws {
        let estimator = try OpticalFlow()
        #expect(throws: FlowError.self) {
            try estimator.flow(from: Tensor(zeros: Shape(1, 3, 8, 8)), to: Tensor(zeros: Shape(1, 3, 8, 10)))
        }
    }
}
