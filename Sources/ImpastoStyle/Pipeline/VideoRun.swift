import Foundation
import ImpastoCore
import ImpastoImage

/// What a video run reports: its plan, each frame, then how it ended.
public enum VideoEvent: Sendable {
    case started(width: Int, height: Int, frames: Int?, rate: String)
    case frame(index: Int, of: Int?, elapsed: Duration)
    /// The flicker report, once written (only with `report` set).
    case measured(FlickerReport)
    case finished(frames: Int, elapsed: Duration)
    /// Cancelled between frames; the output is not written.
    case cancelled(frames: Int)
    case failed(any Error)
}

/// Every frame of a video through a one-pass network, with ffmpeg decoding and encoding
/// (frame rate and audio kept), optionally blended along the optical flow and measured for
/// flicker. The output appears only when complete: frames go to a hidden file beside it,
/// renamed at the end.
public struct VideoRun: Sendable {
    public var stylizer: FastStylizer
    public var input: URL
    public var output: URL
    public var maxDimension: Int?
    public var temporal: TemporalMode
    /// Where to write the flicker report of the output (JSON, see `FlickerReport`), with the
    /// frame-by-frame network output as the fidelity reference; nil for none.
    public var report: URL?

    public init(stylizer: FastStylizer, input: URL, output: URL, maxDimension: Int? = nil, temporal: TemporalMode = .none,
                report: URL? = nil) {
        self.stylizer = stylizer
        self.input = input
        self.output = output
        self.maxDimension = maxDimension
        self.temporal = temporal
        self.report = report
    }

    /// Returns whether the video was written (false when cancelled).
    @discardableResult
    public func run(cancellation: Cancellation = Cancellation(), onEvent: (VideoEvent) throws -> Void = { _ in }) throws -> Bool {
        let ffmpeg = try FFmpeg()
        let probe = try ffmpeg.probe(input)
        let size = probe.frameSize(maxDimension: maxDimension)
        let partial = output.deletingLastPathComponent()
            .appendingPathComponent(".\(output.lastPathComponent).partial.\(output.pathExtension)")
        defer { try? FileManager.default.removeItem(at: partial) }
        let decoder = try ffmpeg.decode(input, width: size.width, height: size.height)
        let encoder = try ffmpeg.encode(to: partial, width: size.width, height: size.height, rate: probe.frameRate,
                                        audioFrom: probe.hasAudio ? input : nil)
        try onEvent(.started(width: size.width, height: size.height, frames: probe.frameCount, rate: probe.frameRate))
        let pass = temporal == .none && report == nil ? nil : try TemporalPass(mode: temporal, measuring: report != nil)
        let started = ContinuousClock.now
        var frames = 0
        while !cancellation.isCancelled, let frame = try decoder.nextFrame() {
            let fresh = try stylizer.stylize(frame)
            try encoder.write(try pass?.process(input: frame, fresh: fresh) ?? fresh)
            frames += 1
            try onEvent(.frame(index: frames, of: probe.frameCount, elapsed: ContinuousClock.now - started))
        }
        guard !cancellation.isCancelled else {
            decoder.stop()
            encoder.abandon()
            try onEvent(.cancelled(frames: frames))
            return false
        }
        try decoder.finish()
        try encoder.finish()
        if let report, let flicker = try pass?.report() {
            try write(flicker, to: report)
            try onEvent(.measured(flicker))
        }
        guard rename(partial.path, output.path) == 0 else {
            throw VideoError.failed(path: output.path, message: "cannot rename the finished video into place: \(String(cString: strerror(errno)))")
        }
        try onEvent(.finished(frames: frames, elapsed: ContinuousClock.now - started))
        return true
    }

    /// Pretty-printed with sorted keys, written atomically so that a reader never sees half a report.
    private func write(_ flicker: FlickerReport, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(flicker).write(to: url, options: .atomic)
    }

    public func events(cancellation: Cancellation = Cancellation()) -> AsyncStream<VideoEvent> {
        eventStream(cancellation: cancellation, failed: VideoEvent.failed) { yield in
            try run(cancellation: cancellation, onEvent: yield)
        }
    }
}
