import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Video: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stylise every frame of a video with a trained model or a built-in style; audio and frame rate are kept.",
        discussion: "Frames travel as raw RGB through pipes to and from the ffmpeg program (Debian: apt-get install ffmpeg).")

    static let configurable = ConfigurableCommand(
        name: "video", keys: ["model", "builtin", "input", "output", "max-dim", "preserve-colors", "strength", "quiet"],
        positionalKeys: ["input"])

    @OptionGroup var network: OnePassNetworkOptions
    @Argument(help: ArgumentHelp("The video to stylise (after the model file when neither --model nor --builtin is given).",
                                 valueName: "input"))
    var positionals: [String]
    @Option(name: .shortAndLong, help: "Where to write the stylised video (.mp4, .mkv, .mov or .webm).") var output: String
    @OptionGroup var size: ImageSizeOptions
    @OptionGroup var look: OnePassLookOptions
    @Flag(help: "Print nothing but errors.") var quiet = false
    @OptionGroup var config: ConfigOptions

    func run() throws {
        let (model, videos) = try network.model(andInputsFrom: positionals)
        guard videos.count == 1, let input = videos.first else {
            throw CommandError("give one video, not \(videos.count)")
        }
        guard FileManager.default.fileExists(atPath: input) else { throw CommandError("\(input): no such file") }
        let inputs = positionals + [config.config].compactMap { $0 }
        let outputURL = try checkOutput(output, flag: "--output", inputs: inputs, extensions: ["mp4", "mkv", "mov", "webm"])
        let settingsURL = try checkOutput(outputURL.path + ".json", flag: "--output", inputs: inputs, extensions: ["json"])
        let run = VideoRun(stylizer: try network.stylizer(model: model, look: look, quiet: quiet),
                           input: URL(fileURLWithPath: input), output: outputURL, maxDimension: size.maxDim)
        try writeSettings(["model": model, "builtin": network.builtin, "input": input,
                           "max-dim": size.maxDim, "preserve-colors": look.preserveColors.rawValue,
                           "strength": look.strength], to: settingsURL)
        let progress = FrameProgress(quiet: quiet)
        try run.run(cancellation: Interrupt.install()) { event in
            switch event {
            case .frame(let index, let total, let elapsed): progress.show(index, of: total, elapsed: elapsed)
            case .cancelled(let frames): throw CommandError("interrupted after \(frames) frames; \(output) not written")
            case .finished(let frames, let elapsed):
                progress.finish("Stylised \(frames) frames in " + String(format: "%.1f s; wrote %@", elapsed.seconds, output))
            case .started, .failed: break
            }
        }
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
