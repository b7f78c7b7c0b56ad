import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels

/// One optimisation-based stylisation, as every front end runs it: images loaded and checked,
/// colours prepared, coarse-to-fine stages, checkpoints and resuming, colours finished, with
/// progress as events and cancellation between steps.
public struct StylizeRun: Sendable {
    public let request: StylizeRequest
    public let network: VGG19

    public init(request: StylizeRequest, network: VGG19) {
        self.request = request
        self.network = network
    }

    /// Runs on the calling thread until done or cancelled, telling `onEvent` everything in
    /// order; ends with `.finished` or `.cancelled` and returns the same result. A failure is
    /// thrown (no `.failed` event: that is the stream's way of saying it); a step whose loss or
    /// image is not finite throws `DivergenceError.stylization` with the result before it.
    @discardableResult
    public func run(cancellation: Cancellation = Cancellation(),
                    onEvent: (StylizeEvent) throws -> Void = { _ in }) throws -> StylizeResult {
        let configuration = request.configuration
        let (content, styles) = try loadImages()
        try request.resume?.checkCompatible(with: configuration)
        let prepared = styles.map { ColorControl.prepare(content: content, style: $0, mode: configuration.colorPreservation) }
        let finish = { (image: Tensor) in
            ColorControl.finish(try Stylization.resized(image, like: content), content: content,
                                mode: configuration.colorPreservation)
        }
        var stages = try CoarseToFine(configuration: configuration, network: network, content: prepared[0].content,
                                      styles: prepared.map(\.style), resumingFrom: request.resume?.archive)
        try onEvent(.started(StylizePlan(
            content: (content.shape.w, content.shape.h), styles: styles.map { ($0.shape.w, $0.shape.h) },
            stages: stages.sizes, configuration: configuration,
            resumed: request.resume.map { _ in (stages.stage.transfer.stepsTaken, stages.scale) })))
        let clock = ContinuousClock()
        let started = clock.now
        var stageAnnounced = 0
        let stageCount = stages.sizes.count
        var last: StylizeProgress?
        let completed: Bool
        do {
            completed = try withoutActuallyEscaping(onEvent) { onEvent in
                try stages.run(shouldStop: { cancellation.isCancelled }, checkpointing: checkpointing(onEvent)) { stage, progress in
                    if stage != stageAnnounced {
                        stageAnnounced = stage
                        try onEvent(.stageStarted(stage: stage, of: stageCount, width: progress.image.shape.w,
                                                  height: progress.image.shape.h, steps: progress.totalSteps))
                    }
                    last = progress
                    try onEvent(.step(StylizeStep(stage: stage, stages: stageCount, progress: progress)))
                    if let every = request.previewEvery, progress.step % every == 0 {
                        try onEvent(.preview(step: progress.step, stage: stage, image: try finish(progress.image)))
                    }
                }
            }
        } catch let failure as NonFiniteStep {
            // Before the first step of the first stage the image is only the starting one; a
            // checkpoint resumed from may already hold NaN.
            let hasResult = failure.step > 1 || stages.scale > 1
            let kept = hasResult && failure.imageBefore.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) })
                ? StylizeResult(image: try finish(failure.imageBefore), completed: false, stage: stages.scale,
                                stages: stageCount, step: failure.step - 1, lastReport: last?.report, stopReason: nil,
                                elapsed: clock.now - started)
                : nil
            throw DivergenceError.stylization(value: failure.value, step: failure.step, stage: stages.scale,
                                              stages: stageCount, kept: kept)
        }
        let result = StylizeResult(image: try finish(stages.stage.image), completed: completed, stage: stages.scale,
                                   stages: stages.sizes.count, step: stages.stage.transfer.stepsTaken,
                                   lastReport: last?.report, stopReason: last?.stopReason, elapsed: clock.now - started)
        try onEvent(completed ? .finished(result) : .cancelled(result))
        return result
    }

    /// The same run on a thread of its own, its events as a stream that always ends with
    /// `.finished`, `.cancelled` or `.failed`. Ending the iteration early cancels the run.
    public func events(cancellation: Cancellation = Cancellation()) -> AsyncStream<StylizeEvent> {
        eventStream(cancellation: cancellation, failed: StylizeEvent.failed) { yield in
            try run(cancellation: cancellation, onEvent: yield)
        }
    }

    /// The content and style images at the run's size, checked for the network's depth.
    private func loadImages() throws -> (content: Tensor, styles: [Tensor]) {
        let configuration = request.configuration
        try configuration.validate()
        guard !request.styles.isEmpty else { throw PipelineError.noStyles }
        if let blend = configuration.styleBlend, blend.count != request.styles.count {
            throw PipelineError.blendMismatch(weights: blend.count, styles: request.styles.count)
        }
        let content = try request.content.load(maxDimension: configuration.maxDimension)
        let styles = try request.styles.map { try $0.load(maxDimension: configuration.maxDimension) }
        for (image, source) in zip([content] + styles, [request.content] + request.styles) {
            try checkSize(image, named: source.name)
        }
        return (content, styles)
    }

    /// Every layer must keep at least one pixel after the pools before it, at the coarsest
    /// stage, which is the smallest image the network sees.
    private func checkSize(_ image: Tensor, named name: String) throws {
        let configuration = request.configuration
        let deepest = (configuration.contentLayers + configuration.styleLayers).max() ?? .block1_conv1
        let minimum = VGG19.minimumSide(for: deepest)
        let smallest = CoarseToFine.sizes(width: image.shape.w, height: image.shape.h, scales: configuration.scales)[0]
        guard min(smallest.width, smallest.height) >= minimum else {
            throw PipelineError.imageTooSmall(name: name, width: smallest.width, height: smallest.height,
                                              minimum: minimum, layer: deepest.rawValue)
        }
    }

    private func checkpointing(_ onEvent: @escaping (StylizeEvent) throws -> Void) -> Stylization.Checkpointing? {
        guard let url = request.checkpoint else { return nil }
        return Stylization.Checkpointing(every: request.checkpointEvery) { archive in
            try archive.write(to: url)
            try onEvent(.checkpointSaved(step: try archive.value("steps_taken"), url: url))
        }
    }
}
