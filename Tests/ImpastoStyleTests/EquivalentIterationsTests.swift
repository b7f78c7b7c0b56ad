import Foundation
import ImpastoCore
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

@Suite("Equivalent L-BFGS iterations (Tiny images)")
struct EquivalentIterationsTests {
    /// The measurement at 32×32 with the tiny painting and the default objective.
    static func measurement(cap: Int = 30) throws -> EquivalentIterations {
        var configuration = EquivalentIterationsConfiguration()
        (configuration.size, configuration.iterationCap) = (32, cap)
        let painting = try TrainingImages.square(try Fixtures.tinyStyle, size: 32)
        return try EquivalentIterations(configuration: configuration, training: FastStyleTrainingConfiguration(),
                                        vgg: try TestWeights.vgg19(), painting: painting)
    }

    static func photo() throws -> Tensor { try TrainingImages.square(try Fixtures.tinyContent, size: 32) }

    /// An "network" whose output is the L-BFGS image after k iterations is worth exactly k, and
    /// is compared with that very image.
    @Test(arguments: [1, 4])
    func theLBFGSImageAfterKIterationsIsWorthK(k: Int) throws {
        let measurement = try Self.measurement()
        let photo = try Self.photo()
        let result = measurement.measure(output: measurement.optimised(photo, iterations: k), photo: photo)
        #expect(result.reached)
        #expect(abs(result.equivalentIterations - Double(k)) < 1e-3, "\(result.equivalentIterations)")
        #expect(result.lbfgsIteration == k)
        #expect(isClose(result.lbfgs.total, result.network.total, relative: 1e-5))
        #expect(isClose(result.lbfgs.content, result.network.content, relative: 1e-4))
    }

    /// The photo itself, or anything no better, is worth 0: L-BFGS starts there.
    @Test func thePhotoItselfIsWorthNothing() throws {
        let measurement = try Self.measurement()
        let photo = try Self.photo()
        let result = measurement.measure(output: photo, photo: photo)
        #expect(result.reached && result.equivalentIterations == 0 && result.lbfgsIteration == 0)
        #expect(result.network == result.photoLoss && result.network.content == 0)
        #expect(result.contentRatio == nil)
    }

    /// An image L-BFGS does not reach within the cap is reported as the cap, not reached.
    @Test func anImageBeyondTheCapCountsAsTheCap() throws {
        let photo = try Self.photo()
        let farther = try Self.measurement().optimised(photo, iterations: 6)
        let result = try Self.measurement(cap: 2).measure(output: farther, photo: photo)
        #expect(!result.reached)
        #expect(result.equivalentIterations == 2 && result.lbfgsIteration == 2)
        #expect(result.lbfgs.total > result.network.total)
    }

    /// Twelve training steps on the tiny photos make a network worth more iterations on the cat
    /// photos than the untrained one (which is worse than the photo itself: worth 0), with a lower
    /// loss on each. (The painting's own crops, the other tiny photos, score 0 whatever the network.)
    @Test func trainingRaisesTheEquivalentIterations() throws {
        var training = FastStyleTrainingConfiguration()
        (training.imageSize, training.batchSize, training.baseChannels, training.learningRate, training.seed) = (32, 2, 8, 1e-2, 9)
        let images = try TrainingImages(folder: try Fixtures.file("images/tiny"), size: 32, batchSize: 2, seed: 9)
        let painting = try TrainingImages.square(try Fixtures.tinyStyle, size: 32)
        var trainer = FastStyleTrainer(configuration: training, vgg: try TestWeights.vgg19(), style: painting)
        let photos = [try Fixtures.tinyContent, try Fixtures.file("images/tiny/chelsea-cat-96x64.png")]
        let measurement = try Self.measurement()
        let before = try measurement.measure(trainer.network, photos: photos)
        for iteration in 0..<12 { _ = trainer.step(try images.batch(iteration: iteration)) }
        let after = try measurement.measure(trainer.network, photos: photos)
        func mean(_ results: [PhotoEquivalence]) -> Double { results.map(\.equivalentIterations).reduce(0, +) / Double(results.count) }
        #expect(mean(after) > mean(before) + 0.5, "\(mean(before)) → \(mean(after))")
        #expect(zip(before, after).allSatisfy { $1.network.total < $0.network.total })
    }

    @Test func aModelsRecordGivesTheObjectiveAndNamesWhatItLacks() throws {
        let (configuration, unrecorded) = try FastStyleTrainingConfiguration.recorded(in: [
            "content-weight": "150.0", "style-weight": "1e+03", "tv-weight": "0.5", "style-layers": "relu1_2,block3_conv3",
            "iterations": "2000",
        ])
        #expect(configuration.contentWeight == 150 && configuration.styleWeight == 1000 && configuration.tvWeight == 0.5)
        #expect(configuration.styleLayers == [.block1_conv2, .block3_conv3])
        #expect(configuration.contentLayers == FastStyleTrainingConfiguration().contentLayers)
        #expect(unrecorded == ["content-layers", "style-size"])
        let error = #expect(throws: RecordedSettingError.self) {
            try FastStyleTrainingConfiguration.recorded(in: ["style-weight": "lots"])
        }
        #expect(error?.description == "its training setting style-weight is 'lots', which cannot be read")
    }

    /// The JSON keys scripts rely on, null values included.
    @Test func theReportKeepsItsKeys() throws {
        let photo = try Self.measurement().measure(output: try Self.photo(), photo: try Self.photo())
        let report = EquivalentIterationsReport(model: "m", style: "s", configuration: EquivalentIterationsConfiguration(),
                                                training: FastStyleTrainingConfiguration(), styleSize: 64, photos: [photo])
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report))
        let json = try #require(object as? [String: Any])
        #expect(Set(json.keys) == ["model", "style", "size", "iteration_cap", "content_layers", "style_layers", "content_weight",
                                   "style_weight", "tv_weight", "style_size", "photos", "mean"])
        let first = try #require((json["photos"] as? [[String: Any]])?.first)
        #expect(Set(first.keys) == ["photo", "network", "photo_loss", "lbfgs", "lbfgs_iteration", "equivalent_iterations",
                                    "reached", "lbfgs_stop", "content_ratio"])
        func keys(_ object: Any?) -> Set<String> { Set((object as? [String: Any])?.keys.map { $0 } ?? []) }
        #expect(keys(first["network"]) == ["total", "content", "style", "total_variation"])
        #expect(keys(json["mean"]) == ["equivalent_iterations", "reached", "network", "lbfgs", "content_ratio"])
    }
}
