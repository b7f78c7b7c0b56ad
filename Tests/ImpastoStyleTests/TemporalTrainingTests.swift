import Foundation
import ImpastoCore
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

@Suite("Fast style training with the temporal loss (Tiny images)")
struct TemporalTrainingTests {
    static func trainer(temporalWeight: Float) throws -> (FastStyleTrainer, TrainingImages) {
        let (images, style, base) = try TinyFastStyleTrainingTests.setting()
        var configuration = base
        configuration.temporalWeight = temporalWeight
        return (FastStyleTrainer(configuration: configuration, vgg: try TestWeights.vgg19(), style: style), images)
    }

    @Test func theLossIsZeroForTheIdentityAndPositiveForAMove() throws {
        let (trainer, images) = try Self.trainer(temporalWeight: 10)
        let photos = try images.batch(iteration: 0)
        let stylised = trainer.network(photos)
        let still = trainer.temporalLoss(of: trainer.network, photos: photos, stylised: stylised,
                                         warps: [.identity, .identity]).item
        #expect(abs(still) < 1e-9, "identity: \(still)")
        let moved = trainer.temporalLoss(of: trainer.network, photos: photos, stylised: stylised,
                                         warps: SimilarityWarp.random(count: 2, seed: 1, iteration: 0)).item
        #expect(moved > 1e-5, "a random move: \(moved)")
    }

    @Test func randomWarpsStayWithinTheirBoundsAndDependOnlyOnSeedAndIteration() {
        let warps = SimilarityWarp.random(count: 64, seed: 3, iteration: 5)
        #expect(warps == SimilarityWarp.random(count: 64, seed: 3, iteration: 5))
        #expect(warps != SimilarityWarp.random(count: 64, seed: 3, iteration: 6))
        for warp in warps {
            #expect(abs(warp.shiftX) <= SimilarityWarp.maximumShift && abs(warp.shiftY) <= SimilarityWarp.maximumShift)
            #expect(abs(warp.scale - 1) <= SimilarityWarp.maximumScaleChange + 1e-6)
            #expect(abs(warp.rotation) <= SimilarityWarp.maximumRotation)
        }
    }

    @Test func aQuarterTurnGridReadsTheRotatedImage() {
        let grid = SimilarityWarp.grid([SimilarityWarp(rotation: .pi / 2)], height: 3, width: 3)
        // Output pixel (x, y) reads (centre − (y − centre), centre + (x − centre)) = (2 − y, x).
        let expected: [Float] = [2, 0, 2, 1, 2, 2, 1, 0, 1, 1, 1, 2, 0, 0, 0, 1, 0, 2]
        #expect(zip(grid.positions, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(grid.positions)")
    }

    @Test func theTemporalWeightChangesTraining() throws {
        let (untrained, images) = try Self.trainer(temporalWeight: 0)
        var plain = untrained
        var temporal = try Self.trainer(temporalWeight: 50).0
        let batch = try images.batch(iteration: 0)
        let plainLoss = plain.step(batch)
        let temporalLoss = temporal.step(batch)
        #expect(plainLoss.temporal == 0)
        #expect(temporalLoss.temporal > 0)
        #expect(temporalLoss.total == temporalLoss.content + temporalLoss.style + temporalLoss.totalVariation
                + temporalLoss.temporal)
        #expect(plain.network.parameters["conv1.conv2d.weight"]!.scalars
                != temporal.network.parameters["conv1.conv2d.weight"]!.scalars)
    }

    /// With weight 0 a step is the perceptual-loss step and nothing else: the same Adam update
    /// of the same gradients, to the bit.
    @Test func weightZeroIsThePerceptualStepExactly() throws {
        let (untrained, images) = try Self.trainer(temporalWeight: 0)
        var trainer = untrained
        var network = trainer.network
        var optimizer = trainer.optimizer
        for iteration in 0..<2 {
            let batch = try images.batch(iteration: iteration)
            let parameters = network.parameters.mapValues { $0.detached().requiringGradient() }
            let names = parameters.keys.sorted()
            let (loss, _) = trainer.perceptualLoss(of: try network.replacing(parameters)(batch), photos: batch)
            let gradientList = gradients(of: loss, withRespectTo: names.map { parameters[$0]! })
            var updated = network.parameters.mapValues { $0.detached() }
            optimizer.update(&updated, gradients: Dictionary(uniqueKeysWithValues: zip(names, gradientList)))
            network = try network.replacing(updated)
            _ = trainer.step(batch)
        }
        for (name, tensor) in network.parameters {
            #expect(trainer.network.parameters[name]!.scalars == tensor.scalars, "\(name)")
        }
    }

    /// Settings saved before the temporal loss existed (in checkpoints and models) still load.
    @Test func settingsWithoutATemporalWeightLoadWithNone() throws {
        var settings = FastStyleTrainingConfiguration()
        settings.iterations = 77
        settings.temporalWeight = 5
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as! [String: Any]
        json["temporalWeight"] = nil
        let read = try JSONDecoder().decode(FastStyleTrainingConfiguration.self,
                                            from: JSONSerialization.data(withJSONObject: json))
        #expect(read.temporalWeight == 0 && read.iterations == 77)
    }
}
