import ImpastoModels
import ImpastoStyle
import Testing

@Suite("Stylize presets")
struct PresetTests {
    /// The tutorial preset spells out the reference tutorial's run.
    @Test func tutorialIsTheReferenceRun() {
        let tutorial = StylizeConfiguration(preset: .tutorial)
        #expect(tutorial == StylizeConfiguration())
        #expect(tutorial.optimizer == .adam && tutorial.effectiveLearningRate == 0.02)
        #expect((tutorial.beta1, tutorial.beta2, tutorial.epsilon) == (0.99, 0.999, 0.1))
        #expect((tutorial.epochs, tutorial.stepsPerEpoch, tutorial.tolerance) == (10, 100, nil))
        #expect(tutorial.lossWeights == LossWeights(content: 1e4, style: 1e-2, totalVariation: 4e-4))
        #expect(tutorial.contentLayers == [.block5_conv2])
        #expect(tutorial.styleLayers == [.block1_conv1, .block2_conv1, .block3_conv1, .block4_conv1, .block5_conv1])
        #expect(tutorial.effectivePyramidLevels == 1 && tutorial.effectiveStyleWarmup.iterationsPerStage == 0)
    }

    /// The recommended preset changes only the optimiser and when it stops.
    @Test func recommendedIsLBFGSWithThePyramidAndWarmUp() {
        let recommended = StylizeConfiguration(preset: .recommended)
        #expect(recommended.optimizer == .lbfgs && recommended.startingHessian == .diagonal)
        #expect(recommended.effectivePyramidLevels == 5 && recommended.effectiveStyleWarmup.iterationsPerStage == 15)
        #expect(recommended.totalSteps == 200 && recommended.tolerance == 5e-4)
        var back = recommended
        (back.optimizer, back.epochs, back.stepsPerEpoch, back.tolerance) = (.adam, 10, 100, nil)
        #expect(back == StylizeConfiguration(preset: .tutorial))
    }
}
