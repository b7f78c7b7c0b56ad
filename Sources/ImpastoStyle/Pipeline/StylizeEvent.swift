import Foundation
import ImpastoCore

/// What a stylize run reports, in order: `started`, then for each stage `stageStarted` and its
/// steps (with previews and checkpoints between them), and last exactly one of `finished`,
/// `cancelled` or `failed`.
public enum StylizeEvent: Sendable {
    case started(StylizePlan)
    case stageStarted(stage: Int, of: Int, width: Int, height: Int, steps: Int)
    case step(StylizeStep)
    /// The image as it would be written now: full size, colours finished.
    case preview(step: Int, stage: Int, image: Tensor)
    case checkpointSaved(step: Int, url: URL)
    case finished(StylizeResult)
    /// Cancelled between two steps; the result holds the image so far.
    case cancelled(StylizeResult)
    case failed(any Error)
}

/// What a run is about to do, once its images are loaded and checked.
public struct StylizePlan: Sendable {
    public var content: (width: Int, height: Int)
    public var styles: [(width: Int, height: Int)]
    /// The sizes of its stages, smallest first (one for a plain run).
    public var stages: [(width: Int, height: Int)]
    public var configuration: StylizeConfiguration
    /// The step a resumed run continues after, and its stage.
    public var resumed: (step: Int, stage: Int)?
}

/// One step done.
public struct StylizeStep: Sendable {
    public var stage: Int
    public var stages: Int
    public var progress: StylizeProgress

    public var isFinalStage: Bool { stage == stages }
}

/// The outcome of a run, finished or cancelled.
public struct StylizeResult: Sendable {
    /// The full-size image with colours finished, as a front end writes it.
    public var image: Tensor
    /// Whether every configured step ran (or the optimiser or tolerance ended it early).
    public var completed: Bool
    /// The stage and step it ended in.
    public var stage: Int
    public var stages: Int
    public var step: Int
    /// The last step's loss and why it stopped early, if it did.
    public var lastReport: LossReport?
    public var stopReason: String?
    public var elapsed: Duration
}
