import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

@Suite("Coarse-to-fine sizes")
struct CoarseToFineSizeTests {
    @Test func scalesGrowByRootTwoUpToTheFullSize() {
        let sizes = CoarseToFine.sizes(width: 451, height: 300, scales: 3)
        #expect(sizes.map(\.width) == [226, 319, 451])
        #expect(sizes.map(\.height) == [150, 212, 300])
        #expect(CoarseToFine.sizes(width: 64, height: 48, scales: 1).map(\.width) == [64])
    }
}

/// Coarse-to-fine on the tiny photos of `Tests/Fixtures/images/tiny`: the stages, and resuming a
/// run interrupted in any of them.
@Suite("Tiny coarse-to-fine runs")
struct TinyCoarseToFineTests {
    func images() throws -> (content: Tensor, style: Tensor) {
        (try ImageFile.load(try Fixtures.tinyContent),
         try ImageFile.load(try Fixtures.tinyStyle))
    }

    /// Two scales of L-BFGS: 2 steps at 45×34, then 2 at the content's 64×48; the network's
    /// first three blocks only, to keep the tests fast. The style weight changes after the first
    /// step (a warm-up of one step per stage), so resuming is tested across a change.
    func configuration() -> StylizeConfiguration {
        var configuration = StylizeConfiguration()
        configuration.optimizer = .lbfgs
        configuration.styleWarmup = 1
        (configuration.scales, configuration.scaleSteps) = (2, 2)
        (configuration.epochs, configuration.stepsPerEpoch) = (1, 2)
        configuration.contentLayers = [.block3_conv2]
        configuration.styleLayers = [.block1_conv1, .block2_conv1, .block3_conv1]
        return configuration
    }

    @Test func stagesRunAtGrowingSizesAndEndAtTheContentsSize() throws {
        let (content, style) = try images()
        var run = try CoarseToFine(configuration: configuration(), network: try TestWeights.vgg19(),
                                   content: content, styles: [style])
        var seen: [String] = []
        let finished = try run.run { scale, step in
            seen.append("\(scale):\(step.step) \(step.image.shape.w)×\(step.image.shape.h)")
        }
        #expect(finished)
        #expect(seen == ["1:1 45×34", "1:2 45×34", "2:1 64×48", "2:2 64×48"])
        #expect(run.isAtFullSize)
        #expect(run.stage.transfer.styleWarmup.iterationsPerStage == 0, "only the first stage warms up")
        #expect(try run.fullSizeImage().shape == content.shape)
    }

    /// Interrupted after 1 step (in the small stage) or 3 (in the full-size one), saved,
    /// restored into a fresh run and finished: the image is the uninterrupted run's, bit for bit.
    @Test(arguments: [1, 3])
    func aRunInterruptedInAnyStageResumesExactly(stepsBeforeStopping: Int) throws {
        let (content, style) = try images()
        let network = try TestWeights.vgg19()
        var whole = try CoarseToFine(configuration: configuration(), network: network, content: content, styles: [style])
        try whole.run { _, _ in }

        var first = try CoarseToFine(configuration: configuration(), network: network, content: content, styles: [style])
        var steps = 0
        var saved: [StateArchive] = []
        let checkpointing = Stylization.Checkpointing(every: 100) { saved.append($0) }
        let finished = try first.run(shouldStop: { steps >= stepsBeforeStopping }, checkpointing: checkpointing) { _, _ in
            steps += 1
        }
        #expect(!finished)
        #expect(saved.count == 1, "the interruption is saved")
        let stage = stepsBeforeStopping <= 2 ? 1 : 2
        #expect(try saved[0].value("scale") as Int == stage)
        #expect(try first.fullSizeImage().shape == content.shape, "an interrupted run still has a full-size image")

        var resumed = try CoarseToFine(configuration: configuration(), network: network, content: content,
                                       styles: [style], resumingFrom: saved[0])
        #expect(resumed.scale == stage)
        var resumedSteps = 0
        try resumed.run { _, _ in resumedSteps += 1 }
        #expect(resumedSteps == 4 - stepsBeforeStopping)
        let identical = resumed.stage.image.scalars == whole.stage.image.scalars
        #expect(identical, "the resumed run's image differs from the uninterrupted run's")
    }
}
