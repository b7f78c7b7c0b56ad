import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

@Suite("Style warm-up schedule")
struct StyleWarmupScheduleTests {
    @Test func eachStageScalesTheStyleByOneFactorOfTheRatioLess() {
        let warmup = StyleWarmup(iterationsPerStage: 2)
        let scales = (0..<8).map { warmup.styleScale(atIteration: $0) }
        let expected: [Float] = [0.064, 0.064, 0.16, 0.16, 0.4, 0.4, 1, 1]
        #expect(zip(scales, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(scales)")
        #expect((0..<5).allSatisfy { StyleWarmup(iterationsPerStage: 0).styleScale(atIteration: $0) == 1 })
        #expect((0..<8).filter(warmup.changesScale(atIteration:)) == [2, 4, 6])
    }

    @Test func lbfgsWarmsUpByDefaultAndAdamDoesNot() {
        var configuration = StylizeConfiguration()
        #expect(configuration.effectiveStyleWarmup.iterationsPerStage == 0, "the reference run stays exact")
        configuration.optimizer = .lbfgs
        #expect(configuration.effectiveStyleWarmup.iterationsPerStage == 15)
        configuration.styleWarmup = 0
        #expect(configuration.effectiveStyleWarmup.iterationsPerStage == 0)
    }
}

/// On the tiny photos of `Tests/Fixtures/images/tiny`, with real weights.
@Suite("Tiny style warm-up runs")
struct TinyStyleWarmupTests {
    /// The first stage of a warm-up is a run with the style weight times 0.4³: the images agree
    /// to rounding (the two scale the same weight in a different order), and differ from a run
    /// without the warm-up.
    @Test func theFirstStageMinimisesTheLossWithTheStyleWeightScaled() throws {
        let content = try ImageFile.load(try Fixtures.tinyContent)
        let style = try ImageFile.load(try Fixtures.tinyStyle)
        let network = try TestWeights.vgg19()
        var configuration = StylizeConfiguration()
        configuration.optimizer = .lbfgs
        (configuration.epochs, configuration.stepsPerEpoch) = (1, 3)
        func image(_ configuration: StylizeConfiguration) throws -> [Float] {
            var stylization = try Stylization(configuration: configuration, network: network, content: content, style: style)
            try stylization.run { _ in }
            return stylization.image.scalars
        }
        configuration.styleWarmup = 3
        let warmedUp = try image(configuration)
        configuration.styleWarmup = 0
        let unscaled = try image(configuration)
        configuration.lossWeights.style *= StyleWarmup(iterationsPerStage: 3).styleScale(atIteration: 0)
        let scaled = try image(configuration)
        func largestDifference(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max()! }
        #expect(largestDifference(warmedUp, scaled) < 1e-3)
        #expect(largestDifference(warmedUp, unscaled) > 1e-2)
    }
}
