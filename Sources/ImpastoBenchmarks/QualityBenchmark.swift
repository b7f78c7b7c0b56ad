import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

/// Quality per second on the reference workload: the loss the reference (Adam, the tutorial's
/// settings) reaches after its steps, and the wall time other methods need to reach the same
/// loss, all measured with the same full-resolution objective on the image in [0, 1].
///
/// Checkpoint evaluations (every `checkEvery` steps, and every step once a method's own loss is
/// within `closeness` of the target, so the time it reaches the target is exact to one
/// iteration) are excluded from the timings.
public struct QualityBenchmark: Sendable {
    public var content: URL
    public var style: URL
    public var referenceSteps = 1000
    public var checkEvery = 10
    /// A method whose own last loss is below `closeness` × the target is checked every step.
    public var closeness = 1.1
    /// Coarse-to-fine: one half-area scale first. Of the settings tried, 2 scales × 50 steps did
    /// best (3 × 50 and 2 × 100 were slower), about as well as L-BFGS at full size alone: the
    /// upsampled coarse result starts the full size only about 20 iterations ahead.
    public var scales = 2
    public var scaleSteps = 50

    public init(content: URL, style: URL, referenceSteps: Int = 1000, checkEvery: Int = 10) {
        self.content = content
        self.style = style
        self.referenceSteps = referenceSteps
        self.checkEvery = checkEvery
    }

    public struct Method: Sendable {
        public var name: String
        /// Seconds to reach the reference's final loss; nil if it did not within the budget.
        public var secondsToReference: Double?
        public var curve: [(seconds: Double, loss: Double)]
    }

    public struct Report: Sendable {
        public var referenceLoss: Double
        public var referenceSeconds: Double
        public var methods: [Method]

        public var table: String {
            var lines = [String(format: "reference: %.6g after its steps, in %.1f s", referenceLoss, referenceSeconds),
                         "method                                 seconds to reach it   share of reference time"]
            for method in methods {
                let reached = method.secondsToReference.map { String(format: "%8.1f", $0) } ?? "     not"
                let share = method.secondsToReference.map { String(format: "%6.1f %%", 100 * $0 / referenceSeconds) } ?? "      –"
                lines.append(method.name.padding(toLength: 38, withPad: " ", startingAt: 0) + " " + reached
                             + "              " + share)
            }
            return lines.joined(separator: "\n")
        }

        /// One row per measured point. Method names hold commas, so they are quoted (RFC 4180).
        public var csv: String {
            (["method,seconds,loss"] + methods.flatMap { method in
                let name = "\"" + method.name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                return method.curve.map { String(format: "%@,%.3f,%.9g", name, $0.seconds, $0.loss) }
            }).joined(separator: "\n") + "\n"
        }
    }

    public func run(network: VGG19, progress: (String) -> Void) throws -> Report {
        var configuration = StylizeConfiguration(preset: .tutorial)
        configuration.stepsPerEpoch = referenceSteps
        configuration.epochs = 1
        let contentImage = try ImageFile.load(content, maxDimension: configuration.maxDimension)
        let styleImage = try ImageFile.load(style, maxDimension: configuration.maxDimension)

        progress("reference: Adam, \(referenceSteps) steps …")
        let clock = PausableClock()
        var reference = try Stylization(configuration: configuration, network: network, content: contentImage,
                                        style: styleImage)
        let objective = reference.transfer.objective
        var referenceCurve: [(Double, Double)] = []
        try reference.run { step in
            if step.step % checkEvery == 1 { referenceCurve.append((clock.elapsed, step.report.total)) }
        }
        let referenceSeconds = clock.elapsed
        let referenceLoss = objective.evaluate(reference.image).report.total
        referenceCurve.append((referenceSeconds, referenceLoss))
        var methods = [Method(name: "adam (reference)", secondsToReference: referenceSeconds, curve: referenceCurve)]

        // Each L-BFGS variant adds one change to the last, so the table shows what each is worth.
        var lbfgs = configuration
        lbfgs.optimizer = .lbfgs
        lbfgs.pyramidLevels = 1
        lbfgs.startingHessian = .scalar
        lbfgs.styleWarmup = 0
        var variants = [("lbfgs, pixels, scalar H0", lbfgs)]
        lbfgs.pyramidLevels = nil
        variants.append(("lbfgs, pyramid, scalar H0", lbfgs))
        lbfgs.startingHessian = StylizeConfiguration(preset: .tutorial).startingHessian
        variants.append(("lbfgs, pyramid, diagonal H0", lbfgs))
        lbfgs.styleWarmup = nil
        variants.append(("lbfgs, + style warm-up (default)", lbfgs))
        lbfgs.scales = scales
        lbfgs.scaleSteps = scaleSteps
        variants.append(("lbfgs, default + coarse-to-fine", lbfgs))
        for (name, variant) in variants {
            progress("\(name) …")
            methods.append(try race(name, variant, network: network, content: contentImage, style: styleImage,
                                    objective: objective, target: referenceLoss, budget: referenceSeconds))
        }
        return Report(referenceLoss: referenceLoss, referenceSeconds: referenceSeconds, methods: methods)
    }

    /// Runs one method until its image's full-resolution loss reaches `target`, it stops, or it
    /// has used `budget` seconds.
    private func race(_ name: String, _ configuration: StylizeConfiguration, network: VGG19, content: Tensor,
                      style: Tensor, objective: StyleObjective, target: Double, budget: Double) throws -> Method {
        var clock = PausableClock()
        var curve: [(Double, Double)] = []
        var reached: Double?
        var stylization = try CoarseToFine(configuration: configuration, network: network, content: content,
                                           styles: [style])
        let fullSize = stylization.sizes.count
        try stylization.run(shouldStop: { reached != nil || clock.elapsed > budget }) { scale, step in
            guard scale == fullSize else { return }
            let close = step.report.total <= closeness * target
            guard close || step.step % checkEvery == 0 || step.stopReason != nil else { return }
            let seconds = clock.elapsed
            let loss = clock.paused { objective.evaluate(step.image).report.total }
            curve.append((seconds, loss))
            if loss <= target && reached == nil { reached = seconds }
        }
        return Method(name: name, secondsToReference: reached, curve: curve)
    }
}

/// Wall time that can leave measurement work out.
struct PausableClock {
    private var start = ContinuousClock.now
    private var excluded: Duration = .zero

    var elapsed: Double { (ContinuousClock.now - start - excluded).seconds }

    mutating func paused<T>(_ body: () -> T) -> T {
        let begin = ContinuousClock.now
        defer { excluded += ContinuousClock.now - begin }
        return body()
    }
}
