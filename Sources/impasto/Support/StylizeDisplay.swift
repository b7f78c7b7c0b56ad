import Foundation
import ImpastoStyle

/// How `impasto stylize` shows a run's events on standard error: what it will do and about how
/// long it will take, the progress bar or lines, and the last step's loss by layer.
final class StylizeDisplay {
    private let options: ProgressOptions
    private let resumeFile: String?
    private var plan: StylizePlan?
    /// When the first step of the run ended: its start-up (targets, primitives) is no guide to the rest.
    private var firstStepEnded: Double?

    /// The step after which the time left is estimated: late enough for L-BFGS's first line
    /// searches and the warm-up's changes of weight to be behind it.
    private static let estimateAfterStep = 10

    init(progress: ProgressOptions, resumeFile: String?) {
        self.options = progress
        self.resumeFile = resumeFile
    }

    func show(_ event: StylizeEvent) {
        switch event {
        case .started(let plan):
            self.plan = plan
            options.say(summary(plan))
            if let resumed = plan.resumed, let resumeFile {
                let stage = resumed.stage == plan.stages.count ? "" : " of scale \(resumed.stage)"
                options.say("Resuming after step \(resumed.step)\(stage) from \(resumeFile)")
            }
        case .step(let step):
            showStep(step)
        case .finished(let result), .cancelled(let result):
            guard result.completed, let report = result.lastReport else { return }
            if let reason = result.stopReason { options.say("Stopped after step \(result.step): \(reason)") }
            options.say(LayerReport(report, step: result.step).text)
        case .stageStarted, .preview, .checkpointSaved, .failed:
            break
        }
    }

    private func showStep(_ step: StylizeStep) {
        guard let plan else { return }
        let configuration = plan.configuration
        let display = ProgressDisplay(quiet: options.quiet, lineEvery: options.progressEvery)
        let progress = step.progress
        if step.isFinalStage {
            display.show(progress, stepsPerEpoch: configuration.stepsPerEpoch, epochs: configuration.epochs)
        } else {
            display.show(progress, stepsPerEpoch: configuration.scaleSteps, epochs: 1,
                         label: "Scale \(step.stage)/\(step.stages) \(progress.image.shape.w)×\(progress.image.shape.h)")
        }
        // Within the first stage only: each stage's elapsed time starts again from zero.
        guard step.stage == 1, plan.resumed == nil else { return }
        if progress.step == 1 { firstStepEnded = progress.elapsed.seconds }
        if progress.step == Self.estimateAfterStep, let firstStepEnded {
            let perStep = (progress.elapsed.seconds - firstStepEnded) / Double(progress.step - 1)
            options.say(estimate(after: step, perStep: perStep, plan: plan))
        }
    }

    /// The time left, from the pace of the steps so far scaled by each stage's pixels and steps.
    private func estimate(after step: StylizeStep, perStep: Double, plan: StylizePlan) -> String {
        let configuration = plan.configuration
        let here = plan.stages[step.stage - 1]
        let pixels = Double(here.width * here.height)
        var seconds = 0.0
        for (index, size) in plan.stages.enumerated() where index + 1 >= step.stage {
            let steps = index + 1 == plan.stages.count ? configuration.totalSteps : configuration.scaleSteps
            let left = index + 1 == step.stage ? steps - step.progress.step : steps
            seconds += Double(left) * perStep * Double(size.width * size.height) / pixels
        }
        let early = configuration.tolerance == nil ? "" : " at most; the tolerance usually stops it sooner"
        return String(format: "Expect about %.0f s more%@", seconds, early)
    }

    private func summary(_ plan: StylizePlan) -> String {
        let configuration = plan.configuration
        let steps = switch configuration.scales {
        case ...1: ""
        case 2: " after \(configuration.scaleSteps) at a smaller size"
        default: " after \(configuration.scaleSteps) at each of \(configuration.scales - 1) smaller sizes"
        }
        return "Seed \(configuration.seed); content \(plan.content.width)×\(plan.content.height), style "
            + plan.styles.map { "\($0.width)×\($0.height)" }.joined(separator: " + ")
            + "; \(configuration.optimizer.rawValue), \(configuration.totalSteps) steps" + steps
    }
}

/// The loss of the last step, per term and per layer (unweighted, as the layers report it).
struct LayerReport {
    var report: LossReport
    var step: Int

    init(_ report: LossReport, step: Int) {
        self.report = report
        self.step = step
    }

    var text: String {
        var lines = [String(format: "Loss at step %d: %.6g = content %.6g + style %.6g + tv %.6g",
                            step, report.total, report.content, report.style, report.totalVariation)]
        for (key, value) in report.perLayer.sorted(by: { $0.key < $1.key }) {
            lines.append(String(format: "  %@ %.6g", key.padding(toLength: 22, withPad: " ", startingAt: 0), value))
        }
        return lines.joined(separator: "\n")
    }
}
