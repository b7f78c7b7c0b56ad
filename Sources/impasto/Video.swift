import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Video: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stylise every frame of a video with any painting, a built-in style or a trained model; audio and frame "
            + "rate are kept.",
        discussion: "Frames travel as raw RGB through pipes to and from the ffmpeg program (Debian: apt-get install ffmpeg).")

    static let configurable = ConfigurableCommand(
        name: "video", keys: ["model", "builtin", "style-image", "style-weights", "input", "output", "max-dim",
                              "preserve-colors", "strength", "quiet", "temporal", "temporal-strength", "report"],
        positionalKeys: ["input"], repeatableKeys: ["style-image"])

    @OptionGroup var network: OnePassNetworkOptions
    @Argument(help: ArgumentHelp("The video to stylise (after the model file when none of --model, --builtin and --style-image is given).",
                                 valueName: "input"))
    var positionals: [String]
    @Option(name: .shortAndLong, help: "Where to write the stylised video (.mp4, .mkv, .mov or .webm).") var output: String
    @OptionGroup var size: ImageSizeOptions
    @OptionGroup var look: OnePassLookOptions
    @Option(help: ArgumentHelp("none (each frame on its own) or blend (each frame blended with the previous output moved "
                               + "along the optical flow; occluded pixels stay fresh)."))
    var temporal = TemporalChoice.none
    @Option(help: ArgumentHelp("How much of the previous output --temporal blend keeps where the flow is reliable, 0…1 "
                               + "(default \(TemporalBlend.defaultStrength))."))
    var temporalStrength: Float?
    @Option(help: ArgumentHelp("Write the output's flicker report here: JSON with e_warp, input_e_warp, fidelity, frames, "
                               + "flow_ms_per_frame, reliable_fraction (see docs/flicker.md).", valueName: "file"))
    var report: String?
    @Flag(help: "Print nothing but errors.") var quiet = false
    @OptionGroup var config: ConfigOptions

    func validate() throws {
        guard let temporalStrength else { return }
        guard temporalStrength.isFinite, (0...1).contains(temporalStrength) else {
            throw ValidationError("--temporal-strength must be in 0…1, not \(temporalStrength)")
        }
        guard temporal == .blend else { throw ValidationError("--temporal-strength needs --temporal blend") }
    }

    func run() throws {
        let (model, videos) = try network.model(andInputsFrom: positionals)
        guard videos.count == 1, let input = videos.first else {
            throw CommandError("give one video, not \(videos.count)")
        }
        guard FileManager.default.fileExists(atPath: input) else { throw CommandError("\(input): no such file") }
        let inputs = positionals + network.styleImage + [config.config].compactMap { $0 }
        let outputURL = try checkOutput(output, flag: "--output", inputs: inputs, extensions: ["mp4", "mkv", "mov", "webm"],
                                        writer: .video, besides: [(".json", .direct)])
        let settingsURL = try checkOutput(outputURL.path + ".json", flag: "--output", inputs: inputs, extensions: ["json"],
                                          writer: .direct)
        let reportURL = try report.map { try checkOutput($0, flag: "--report", inputs: inputs, extensions: ["json"], writer: .direct) }
        let mode = temporal.mode(strength: temporalStrength)
        let run = VideoRun(stylizer: try network.stylizer(model: model, look: look, quiet: quiet),
                           input: URL(fileURLWithPath: input), output: outputURL, maxDimension: size.maxDim,
                           temporal: mode, report: reportURL)
        let settings: [String: Any?] = [
            "model": model, "builtin": network.builtin, "style-image": network.styleImage.isEmpty ? nil : network.styleImage,
            "style-weights": network.styleWeights, "input": input, "report": report,
            "max-dim": size.maxDim, "preserve-colors": look.preserveColors.rawValue,
            "strength": look.strength, "temporal": temporal.rawValue,
            "temporal-strength": temporal == .blend ? temporalStrength ?? TemporalBlend.defaultStrength : nil,
        ]
        let progress = FrameProgress(quiet: quiet)
        try run.run(cancellation: Interrupt.install()) { event in
            switch event {
            case .frame(let index, let total, let elapsed): progress.show(index, of: total, elapsed: elapsed)
            case .cancelled(let frames): throw CommandError("interrupted after \(frames) frames; \(output) not written")
            case .measured(let flicker): progress.finish(flicker.summary + "; wrote \(report ?? "")")
            case .finished(let frames, let elapsed):
                // Written with the video, so a failed or interrupted run leaves no settings for a
                // video that does not exist (nor replaces those of an earlier one).
                try writeSettings(settings, to: settingsURL)
                progress.finish("Stylised \(frames) frames in " + String(format: "%.1f s; wrote %@", elapsed.seconds, output))
            case .started, .failed: break
            }
        }
    }
}

/// `--temporal`: the flag's spelling of `TemporalMode`.
enum TemporalChoice: String, ExpressibleByArgument, CaseIterable {
    case none, blend

    func mode(strength: Float?) -> TemporalMode {
        switch self {
        case .none: .none
        case .blend: .blend(strength: strength ?? TemporalBlend.defaultStrength)
        }
    }
}

extension FlickerReport {
    /// One line for the terminal.
    var summary: String {
        String(format: "Flicker: E_warp %.2e (input clip %.2e), fidelity %@, flow %.1f ms per frame", eWarp, inputEWarp,
               fidelity.map { String(format: "%.2e", $0) } ?? "n/a", flowMsPerFrame)
    }
}

/// Frames done, rate and time left: a live line on a terminal, else a line every 25 frames.
struct FrameProgress {
    var quiet: Bool

    func show(_ frames: Int, of total: Int?, elapsed: Duration) {
        guard !quiet else { return }
        let rate = Double(frames) / max(elapsed.seconds, 1e-9)
        var line = String(format: "frame %d", frames) + (total.map { "/\($0)" } ?? "") + String(format: "  %.2f frames/s", rate)
        if let total {
            let eta = Int(Double(total - frames) / max(rate, 1e-9))
            line += String(format: "  ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60)
        }
        if Terminal.isInteractive { Terminal.overwrite(line) } else if frames % 25 == 0 { Terminal.status(line) }
    }

    func finish(_ line: String) {
        guard !quiet else { return }
        if Terminal.isInteractive { Terminal.status("") }
        Terminal.status(line)
    }
}
