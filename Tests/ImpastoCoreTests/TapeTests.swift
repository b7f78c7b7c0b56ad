import ImpastoCore
import Testing
import _TestSupport

@Suite("Reverse-mode tape")
struct TapeTests {
    @Test func gradientsOfATensorUsedTwiceAccumulate() {
        let x = randomTensor(Shape(1, 2, 2, 2), seed: 1).requiringGradient()
        let loss = (x + x.scaled(by: 3)).sum()
        let dx = gradients(of: loss, withRespectTo: [x])[0]
        #expect(dx.scalars == Array(repeating: 4, count: 8))
    }

    @Test func pullbacksAreAskedOnlyForGradientsThatLeadToATarget() {
        let image = randomTensor(Shape(1, 1, 2, 2), seed: 2).requiringGradient()
        let otherLeaf = randomTensor(Shape(1, 1, 2, 2), seed: 3).requiringGradient()
        let constant = randomTensor(Shape(1, 1, 2, 2), seed: 4)
        let asked = Recorder()
        let spy = Tape.record("spy", inputs: [image, otherLeaf, constant], output: image.detached()) { dy, needed in
            asked.needed = needed
            return [dy, dy, dy]
        }
        _ = gradients(of: spy.sum(), withRespectTo: [image])
        #expect(asked.needed == [true, false, false])
    }

    @Test func opsOnConstantsRecordNothing() {
        let x = randomTensor(Shape(1, 3, 4, 4), seed: 5)
        let weight = randomTensor(Shape(8, 3, 3, 3), seed: 6)
        #expect(!conv2d(x, weight: weight, padding: 1).relu().pooled(.max).isDifferentiable)
        #expect(conv2d(x.requiringGradient(), weight: weight, padding: 1).isDifferentiable)
    }

    @Test func aTargetTheLossDoesNotReachGetsZeros() {
        let x = randomTensor(Shape(1, 1, 2, 2), seed: 7).requiringGradient()
        let unused = randomTensor(Shape(1, 1, 3, 3), seed: 8).requiringGradient()
        let grads = gradients(of: x.sum(), withRespectTo: [x, unused])
        #expect(grads[1].scalars == Array(repeating: 0, count: 9))
    }

    @Test func deepChainsDoNotOverflowTheStack() {
        var y = randomTensor(Shape(1, 1, 1, 2), seed: 9).requiringGradient()
        let x = y
        for _ in 0..<20_000 { y = y.scaled(by: 1) }
        #expect(gradients(of: y.sum(), withRespectTo: [x])[0].scalars == [1, 1])
    }
}

/// Lets a pullback closure report what it was asked.
private final class Recorder: @unchecked Sendable {
    var needed: [Bool] = []
}
