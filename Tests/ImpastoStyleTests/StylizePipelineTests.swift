import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// The library's stylize pipeline driven directly, as the studio or a Swift caller would: its
/// events, their order, previews, cancellation and typed errors (Tiny images, real weights).
@Suite("Stylize pipeline (Tiny images)")
struct StylizePipelineTests {
    static func request(steps: Int = 4, scales: Int = 1) throws -> StylizeRequest {
        var configuration = StylizeConfiguration(preset: .recommended)
        configuration.stepsPerEpoch = steps
        configuration.scales = scales
        configuration.scaleSteps = 2
        configuration.styleLayers = [.block1_conv1, .block2_conv1, .block3_conv1]
        configuration.contentLayers = [.block3_conv2]
        configuration.seed = 5
        return StylizeRequest(content: .file(try Fixtures.tinyContent), styles: [.file(try Fixtures.tinyStyle)],
                              configuration: configuration)
    }

    /// A short name per event, to check their order.
    static func name(_ event: StylizeEvent) -> String {
        switch event {
        case .started: "started"
        case .stageStarted(let stage, let count, _, _, _): "stage \(stage)/\(count)"
        case .step(let step): "step \(step.stage).\(step.progress.step)"
        case .preview(let step, let stage, _): "preview \(stage).\(step)"
        case .checkpointSaved(let step, _): "checkpoint \(step)"
        case .finished: "finished"
        case .cancelled: "cancelled"
        case .failed: "failed"
        }
    }

    @Test func eventsComeInOrderThroughEveryStage() throws {
        var request = try Self.request(steps: 4, scales: 2)
        request.previewEvery = 2
        var names: [String] = []
        var previewShapes: [Shape] = []
        let result = try StylizeRun(request: request, network: try TestWeights.vgg19()).run { event in
            names.append(Self.name(event))
            if case .preview(_, _, let image) = event { previewShapes.append(image.shape) }
        }
        #expect(names == ["started", "stage 1/2", "step 1.1", "step 1.2", "preview 1.2",
                          "stage 2/2", "step 2.1", "step 2.2", "preview 2.2", "step 2.3", "step 2.4", "preview 2.4",
                          "finished"])
        #expect(result.completed && result.step == 4 && result.stage == 2)
        #expect(result.image.shape == Shape(1, 3, 48, 64))
        #expect(previewShapes.allSatisfy { $0 == Shape(1, 3, 48, 64) }, "previews are full size: \(previewShapes)")
        #expect(result.lastReport.map { $0.total > 0 && $0.total.isFinite } == true)
    }

    @Test func cancellingStopsAfterTheStepAndKeepsTheImage() throws {
        let cancellation = Cancellation()
        var names: [String] = []
        let result = try StylizeRun(request: try Self.request(steps: 50), network: try TestWeights.vgg19())
            .run(cancellation: cancellation) { event in
                names.append(Self.name(event))
                if case .step(let step) = event, step.progress.step == 2 { cancellation.cancel() }
            }
        #expect(names.suffix(2) == ["step 1.2", "cancelled"])
        #expect(!result.completed && result.step == 2)
        #expect(result.image.shape == Shape(1, 3, 48, 64))
    }

    @Test func theStreamEndsWithFinishedAndLeavingItCancelsTheRun() async throws {
        let run = StylizeRun(request: try Self.request(steps: 3), network: try TestWeights.vgg19())
        var names: [String] = []
        for await event in run.events() { names.append(Self.name(event)) }
        #expect(names == ["started", "stage 1/1", "step 1.1", "step 1.2", "step 1.3", "finished"])

        let cancellation = Cancellation()
        let long = StylizeRun(request: try Self.request(steps: 1000), network: try TestWeights.vgg19())
        for await event in long.events(cancellation: cancellation) {
            if case .step = event { break }
        }
        #expect(cancellation.isCancelled)
    }

    @Test func anImageTooSmallForTheLayersIsATypedError() throws {
        var request = try Self.request()
        request.configuration.contentLayers = [.block5_conv2]
        request.content = .image(Tensor(shape: Shape(1, 3, 12, 40), scalars: Array(repeating: 0.5, count: 1440)), name: "strip")
        #expect(throws: PipelineError.imageTooSmall(name: "strip", width: 40, height: 12, minimum: 16, layer: "block5_conv2")) {
            try StylizeRun(request: request, network: try TestWeights.vgg19()).run()
        }
    }

    @Test func aFailureEndsTheStreamWithFailed() async throws {
        var request = try Self.request()
        request.styles = [.file(URL(fileURLWithPath: "/nonexistent/painting.jpg"))]
        var last: StylizeEvent?
        for await event in StylizeRun(request: request, network: try TestWeights.vgg19()).events() { last = event }
        guard case .failed(let error) = last else { Issue.record("last event: \(String(describing: last))"); return }
        #expect(error as? ImageError == .missing(path: "/nonexistent/painting.jpg"))
    }
}
