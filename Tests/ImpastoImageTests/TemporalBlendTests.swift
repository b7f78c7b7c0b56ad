import ImpastoCore
import ImpastoImage
import Testing
import _TestSupport

@Suite("Temporal blend of outputs along the flow")
struct TemporalBlendTests {
    /// The scene moves 4 px right between two frames, and the fresh output carries noise of its
    /// own. At full strength, pixels the flow can follow take the previous output moved along
    /// (here: the clean current frame); the 4 columns that entered take the fresh output.
    @Test func followsTheFlowAndKeepsNewContentFresh() throws {
        let (width, height) = (96, 72)
        let previous = FlowTestImages.texture(width: width, height: height)
        let current = FlowTestImages.shifted(previous, dx: 4, dy: 0)
        let noise = randomTensor(current.shape, in: -0.05...0.05, seed: 5).scalars
        let fresh = Tensor(shape: current.shape, scalars: zip(current.scalars, noise).map(+))
        let alignment = try FrameAlignment(previous: previous, current: current, using: OpticalFlow())
        let blended = TemporalBlend(strength: 1).blended(fresh: fresh, previousOutput: previous, alignment: alignment)
        let (values, clean, noisy) = (blended.scalars, current.scalars, fresh.scalars)
        var worst: Float = 0
        for y in 8..<(height - 8) { for x in 8..<(width - 8) {
            worst = max(worst, abs(values[y * width + x] - clean[y * width + x]))
        } }
        #expect(worst < 0.02, "interior differs from the coherent frame by \(worst)")
        #expect((0..<height).allSatisfy { y in (0..<4).allSatisfy { values[y * width + $0] == noisy[y * width + $0] } })
    }

    @Test func zeroStrengthKeepsTheFreshFrame() throws {
        let previous = FlowTestImages.texture(width: 48, height: 32)
        let current = FlowTestImages.shifted(previous, dx: 1, dy: 1)
        let alignment = try FrameAlignment(previous: previous, current: current, using: OpticalFlow())
        let blended = TemporalBlend(strength: 0).blended(fresh: current, previousOutput: previous, alignment: alignment)
        #expect(blended.scalars == current.scalars)
    }
}
