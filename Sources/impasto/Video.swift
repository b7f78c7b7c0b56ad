import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Video: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stylise every frame of a video with a trained model; audio and frame rate are kept.",
        discussion: "Frames travel as raw RGB through pipes to and from the ffmpeg program (Debian: apt-get install ffmpeg).")

    @Argument(help: "A model from `impasto train` or `impasto import-model`.") var model: String
    @Argument(help: "The video to stylise.") var input: String
    @Option(name: .shortAndLong, help: "Where to write the stylised video (.mp4, .mkv, .mov or .webm).") var output: String
    @Option(help: "Shrink frames so the longer side is at most this.") var maxDim: Int?
    @Option(help: "none, luminance or histogram.") var preserveColors = ColorPreservation.none.rawValue
    @Option(help: "Blend with the original frame: 0 = original, 1 = fully stylised.") var strength: Float = 1
    @Flag(help: "Print nothing but errors.") var quiet = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: input) else { throw CommandError("\(input): no such file") }
        let outputURL = try checkOutput(output, flag: "--output", inputs: [input, model],
                                        extensions: ["mp4", "mkv", "mov", "webm"])
        let stylizer = try makeStylizer(model: model, preserveColors: preserveColors, strength: strength)
        if let maxDim, maxDim < 16 { throw CommandError("--max-dim must be at least 16") }
        let ffmpeg = try FFmpeg()
        let probe = try ffmpeg.probe(URL(fileURLWithPath: input))
        let size = probe.frameSize(maxDimension: maxDim)
        let temporary = outputURL.deletingLastPathComponent()
            .appendingPathComponent(".\(outputURL.lastPathComponent).partial.\(outputURL.pathExtension)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let decoder = try ffmpeg.decode(URL(fileURLWithPath: input), width: size.width, height: size.height)
        let encoder = try ffmpeg.encode(to: temporary, width: size.width, height: size.height, rate: probe.frameRate,
                                        audioFrom: probe.hasAudio ? URL(fileURLWithPath: input) : nil)
        let started = ContinuousClock.now
        var frames = 0
        Interrupt.install()
        while let frame = try decoder.nextFrame() {
            try encoder.write(stylizer.stylize(frame))
            frames += 1
            if !quiet { report(frames, of: probe.frameCount, since: started) }
            if Interrupt.wasRequested { break }
        }
        try decoder.finish()
        try encoder.finish()
        if Interrupt.wasRequested { throw CommandError("interrupted after \(frames) frames; \(output) not written") }
        guard rename(temporary.path, outputURL.path) == 0 else {
            throw CommandError("--output \(output): cannot write (\(String(cString: strerror(errno))))")
        }
        if !quiet {
            if Terminal.isInteractive { Terminal.status("") }
            Terminal.status("Stylised \(frames) frames (\(size.width)×\(size.height)) in "
                            + String(format: "%.1f s; wrote %@", (ContinuousClock.now - started).seconds, output))
        }
    }

    private func report(_ frames: Int, of total: Int?, since started: ContinuousClock.Instant) {
        let seconds = (ContinuousClock.now - started).seconds
        let rate = Double(frames) / max(seconds, 1e-9)
        var line = String(format: "frame %d", frames) + (total.map { "/\($0)" } ?? "") + String(format: "  %.2f frames/s", rate)
        if let total {
            let eta = Int(Double(total - frames) / max(rate, 1e-9))
            line += String(format: "  ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60)
        }
        if Terminal.isInteractive { Terminal.overwrite(line) } else if frames % 25 == 0 { Terminal.status(line) }
    }
}
