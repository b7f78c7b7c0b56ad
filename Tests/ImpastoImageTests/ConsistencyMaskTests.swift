import ImpastoImage
import Testing

@Suite("Forward–backward consistency mask")
struct ConsistencyMaskTests {
    /// The camera pans so content moves 4 px right: the 4 leftmost columns of frame t came
    /// from outside frame t−1.
    @Test func marksTheBorderContentEnteredThrough() {
        let (width, height) = (20, 10)
        let mask = ConsistencyMask(backward: FlowField(uniformDX: -4, dy: 0, width: width, height: height),
                                   forward: FlowField(uniformDX: 4, dy: 0, width: width, height: height))
        for y in 0..<height {
            #expect((0..<4).allSatisfy { mask.weights[y * width + $0] == 0 }, "row \(y): entering columns kept")
            #expect((4..<width).allSatisfy { mask.weights[y * width + $0] == 1 }, "row \(y): moved pixels dropped")
        }
    }

    @Test func marksFlowsThatDisagree() {
        let mask = ConsistencyMask(backward: FlowField(uniformDX: 2, dy: 1, width: 12, height: 8),
                                   forward: FlowField(uniformDX: 0, dy: 0, width: 12, height: 8))
        #expect(mask.reliableFraction == 0)
    }

    /// An object 3 px wide moving over a still background: the flow's step is a motion boundary.
    @Test func marksMotionBoundaries() {
        let (width, height) = (16, 6)
        var backward = FlowField(uniformDX: 0, dy: 0, width: width, height: height)
        for y in 0..<height { for x in 8..<16 { backward.vectors[2 * (y * width + x)] = 0.3 } }
        var forward = FlowField(uniformDX: 0, dy: 0, width: width, height: height)
        for y in 0..<height { for x in 8..<16 { forward.vectors[2 * (y * width + x)] = -0.3 } }
        let mask = ConsistencyMask(backward: backward, forward: forward)
        #expect(mask.weights[2 * width + 7] == 0 && mask.weights[2 * width + 8] == 0, "the step is kept")
        #expect(mask.weights[2 * width + 3] == 1 && mask.weights[2 * width + 12] == 1, "smooth flow is dropped")
    }
}
