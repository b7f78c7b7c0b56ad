import Foundation
import ImpastoCore
import ImpastoStyle

/// Renders a run's progress on standard error: on a terminal one live bar per epoch (step,
/// loss, steps/s, ETA); otherwise one plain line every `lineEvery` steps. Each finished epoch
/// leaves a summary line, as the tutorial prints.
struct ProgressDisplay {
    var quiet: Bool
    var lineEvery: Int
    var interactive = Terminal.isInteractive

    /// `label` names the part of the run (coarse-to-fine scales); the default is the epoch.
    func show(_ progress: StylizeProgress, stepsPerEpoch: Int, epochs: Int, label: String? = nil) {
        // Plain lines name the part only when it is not the usual epoch, so logs stay greppable.
        let linePrefix = label.map { $0 + "  " } ?? ""
        let label = label ?? "Epoch \(progress.epoch)/\(epochs)"
        guard !quiet else { return }
        let seconds = progress.elapsed.seconds
        let rate = Double(progress.step) / max(seconds, 1e-9)
        let eta = Double(progress.totalSteps - progress.step) / max(rate, 1e-9)
        let loss = String(format: "%.4g", progress.report.total)
        if progress.stepInEpoch == stepsPerEpoch {
            if interactive { Terminal.overwrite("") }
            let r = progress.report
            Terminal.status(label + String(format: "  step %d  loss %.4g (content %.4g, style %.4g, tv %.4g)  %.1f s",
                                           progress.step, r.total, r.content, r.style, r.totalVariation, seconds))
        } else if interactive {
            let filled = progress.stepInEpoch * 24 / stepsPerEpoch
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 24 - filled)
            Terminal.overwrite("\(label) \(bar) \(progress.stepInEpoch)/\(stepsPerEpoch)  "
                               + "\(progress.evaluations) evals  loss \(loss)  "
                               + String(format: "%.2f steps/s  ETA %@", rate, clock(eta)))
        } else if progress.step % lineEvery == 0 {
            Terminal.status(linePrefix + "step \(progress.step)/\(progress.totalSteps)  \(progress.evaluations) evals  loss \(loss)  "
                            + String(format: "%.2f steps/s  ETA %@", rate, clock(eta)))
        }
    }

    private func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
    }
}
