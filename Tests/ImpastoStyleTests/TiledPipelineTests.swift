import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// The stylize pipeline with `configuration.tile` set, driven as the studio and the CLI drive it:
/// the same events through the coarse-to-fine stages, cancellation between steps, and (with
/// the exact halo) the untiled run's image (Tiny images, real weights).
@Suite("Tiled stylize pipeline (Tiny images)")
struct TiledPipelineTests {
    static func request(steps: Int, tile: TileSettings?) throws -> StylizeRequest {
        var configuration = StylizeConfiguration(preset: .recommended)
        (configuration.stepsPerEpoch, configuration.scales, configuration.scaleSteps) = (steps, 2, 2)
        // Shallow layers keep the halo (8 pixels) and so the test's tiles small.
        configuration.styleLayers = [.block1_conv1, .block2_conv1]
        configuration.contentLayers = [.block2_conv2]
        configuration.colorPreservation = .luminance
        configuration.tile = tile
        return StylizeRequest(content: .file(try Fixtures.tinyContent), styles: [.file(try Fixtures.tinyStyle)],
                              configuration: configuration)
    }

    @Test func eventsComeInOrderAndTheImageIsTheUntiledOnes() throws {
        let network = try TestWeights.vgg19()
        var tiled = try Self.request(steps: 4, tile: TileSettings(size: 16))
        tiled.previewEvery = 2
        var names: [String] = []
        let result = try StylizeRun(request: tiled, network: network).run { names.append(StylizePipelineTests.name($0)) }
        #expect(names == ["started", "stage 1/2", "step 1.1", "step 1.2", "preview 1.2",
                          "stage 2/2", "step 2.1", "step 2.2", "preview 2.2", "step 2.3", "step 2.4", "preview 2.4",
                          "finished"])
        #expect(result.completed && result.image.shape == Shape(1, 3, 48, 64))

        let untiled = try StylizeRun(request: try Self.request(steps: 4, tile: nil), network: network).run()
        let difference = zip(result.image.scalars, untiled.image.scalars).map { abs($0 - $1) }.max()!
        #expect(difference < 1e-4, "the tiled image differs from the untiled one by up to \(difference)")
        #expect(isClose(result.lastReport!.total, untiled.lastReport!.total, relative: 1e-3))
    }

    @Test func cancellingStopsAfterTheStepAndKeepsTheImage() throws {
        let cancellation = Cancellation()
        var names: [String] = []
        let run = StylizeRun(request: try Self.request(steps: 50, tile: TileSettings(size: 16)),
                             network: try TestWeights.vgg19())
        let result = try run.run(cancellation: cancellation) { event in
            names.append(StylizePipelineTests.name(event))
            if case .step(let step) = event, step.stage == 2, step.progress.step == 1 { cancellation.cancel() }
        }
        #expect(names.suffix(2) == ["step 2.1", "cancelled"])
        #expect(!result.completed && result.stage == 2 && result.step == 1)
        #expect(result.image.shape == Shape(1, 3, 48, 64))
    }

    /// Tiles change the memory a step needs, not what it optimises: a checkpoint saved untiled
    /// may be resumed tiled, while a setting that changes the objective is still refused.
    @Test func aCheckpointResumesWithOtherTiles() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiled-resume-\(UUID()).impasto")
        defer { try? FileManager.default.removeItem(at: url) }
        var request = try Self.request(steps: 2, tile: nil)
        (request.configuration.scales, request.checkpoint, request.checkpointEvery) = (1, url, 1)
        try StylizeRun(request: request, network: try TestWeights.vgg19()).run()
        let checkpoint = try StylizeCheckpoint.read(url)
        var tiled = request.configuration
        tiled.tile = TileSettings(size: 16, halo: 4)
        try checkpoint.checkCompatible(with: tiled)
        tiled.lossWeights.content *= 2
        #expect(throws: CheckpointError.self) { try checkpoint.checkCompatible(with: tiled) }
    }
}
