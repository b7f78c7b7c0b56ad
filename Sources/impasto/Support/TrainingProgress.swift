import Foundation
import ImpastoStyle

/// Training progress on standard error: a live line on a terminal, otherwise a line every
/// `lineEvery` steps: step, loss by term, images per second and time left.
final class TrainingProgress {
    private let quiet: Bool
    private let lineEvery: Int
    private let total: Int
    private let batchSize: Int
    private let firstIteration: Int
    private let started = ContinuousClock.now

    init(quiet: Bool, lineEvery: Int, total: Int, batchSize: Int, firstIteration: Int) {
        (self.quiet, self.lineEvery, self.total, self.batchSize, self.firstIteration) =
            (quiet, lineEvery, total, batchSize, firstIteration)
    }

    func show(iteration: Int, loss: TrainingLoss) {
        guard !quiet else { return }
        let seconds = (ContinuousClock.now - started).seconds
        let rate = Double(iteration - firstIteration) / max(seconds, 1e-9)
        let eta = Double(total - iteration) / max(rate, 1e-9)
        let line = String(format: "step %d/%d  loss %.4g (content %.4g, style %.4g, tv %.3g)  %.2f images/s  ETA %d:%02d:%02d",
                          iteration, total, loss.total, loss.content, loss.style, loss.totalVariation,
                          rate * Double(batchSize), Int(eta) / 3600, Int(eta) / 60 % 60, Int(eta) % 60)
        if Terminal.isInteractive {
            Terminal.overwrite(line)
            if iteration == total { Terminal.status("") }
        } else if iteration % lineEvery == 0 || iteration == total {
            Terminal.status(line)
        }
    }
}
