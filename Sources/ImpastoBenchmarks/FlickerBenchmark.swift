import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoStyle

/// Flicker of stylised video, frame by frame against `--temporal blend` at several strengths,
/// on the camera-move clips (`CameraMove`) made from a photo and decoded at 640×480, the size
/// the 30 ms budget is given for. Per clip: the input's own E_warp (the floor), and per
/// method E_warp, fidelity to the frame-by-frame output and the wall time the blend adds per frame.
public struct FlickerBenchmark: Sendable {
    public var photo: URL
    public var strengths: [Float]
    public var seconds: Int
    public var width = 640
    public var height = 480
    public static let moves: [CameraMove] = [.pan, .zoom, .rotation]

    public init(photo: URL, strengths: [Float], seconds: Int) {
        precondition(strengths.allSatisfy { (0...1).contains($0) } && seconds >= 1, "strengths in 0…1 and at least 1 s")
        (self.photo, self.strengths, self.seconds) = (photo, strengths, seconds)
    }

    /// One way of making the video: `frame-by-frame` or `blend`. JSON keys are the property
    /// names, all present in every entry.
    public struct Method: Codable, Sendable {
        public var method: String
        /// 0 frame by frame, which is what the blend gives at 0.
        public var strength: Float
        public var e_warp: Double
        public var fidelity: Double
        /// Frame by frame's E_warp divided by this method's: the issue asks for at least 5.
        public var e_warp_reduction: Double
        /// Median wall time per frame of the flow, mask, warp and blend (0 frame by frame): other
        /// work on a shared machine shows up as a few slow frames, which the median ignores.
        public var extra_ms_per_frame: Double
        /// The fastest frame's: nearest to the cost on an idle machine when the cores are shared.
        public var extra_ms_per_frame_fastest: Double
    }

    public struct Clip: Codable, Sendable {
        public var clip: String
        public var frames: Int
        public var input_e_warp: Double
        public var reliable_fraction: Double
        public var methods: [Method]
    }

    public struct Report: Codable, Sendable {
        public var width: Int
        public var height: Int
        /// The network alone, median per frame, for scale.
        public var network_ms_per_frame: Double
        public var clips: [Clip]

        public var table: String {
            var lines = [String(format: "%d×%d; network %.0f ms per frame", width, height, network_ms_per_frame),
                         "clip      method          strength  E_warp     ÷ E_warp  fidelity   extra ms/frame (fastest)"]
            func padded(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
            for clip in clips {
                lines.append(padded(clip.clip, 10) + padded("input", 26) + String(format: "%.2e", clip.input_e_warp))
                for method in clip.methods {
                    let strength = method.method == "blend" ? String(format: "%.2f", Double(method.strength)) : "-"
                    lines.append(padded(clip.clip, 10) + padded(method.method, 16) + padded(strength, 10)
                        + String(format: "%.2e  %7.1f×  %.2e  %6.1f (%.1f)", method.e_warp, method.e_warp_reduction,
                                 method.fidelity, method.extra_ms_per_frame, method.extra_ms_per_frame_fastest))
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    public func run(stylizer: FastStylizer, progress: (String) -> Void) throws -> Report {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-flicker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var clips: [Clip] = []
        var networkTimes: [Double] = []
        for move in Self.moves {
            progress("\(move): making the clip and stylising it frame by frame …")
            let inputs = try frames(of: move, in: folder)
            let fresh = try inputs.map { frame in try timed(into: &networkTimes) { try stylizer.stylize(frame) } }
            progress("\(move): blending at strengths \(strengths.map { String($0) }.joined(separator: ", ")) …")
            clips.append(try measure(move, inputs: inputs, fresh: fresh))
        }
        return Report(width: width, height: height, network_ms_per_frame: median(networkTimes), clips: clips)
    }

    /// The clip made in `folder` and decoded at the benchmark's size.
    private func frames(of move: CameraMove, in folder: URL) throws -> [Tensor] {
        let url = folder.appendingPathComponent("\(move).mp4")
        try move.make(from: photo, to: url, seconds: seconds)
        let reader = try FFmpeg().decode(url, width: width, height: height)
        var frames: [Tensor] = []
        while let frame = try reader.nextFrame() { frames.append(frame) }
        try reader.finish()
        return frames
    }

    private func measure(_ move: CameraMove, inputs: [Tensor], fresh: [Tensor]) throws -> Clip {
        let alone = try report(inputs: inputs, outputs: fresh, reference: fresh)
        var methods = [Method(method: "frame-by-frame", strength: 0, e_warp: alone.eWarp, fidelity: 0,
                              e_warp_reduction: 1, extra_ms_per_frame: 0, extra_ms_per_frame_fastest: 0)]
        for strength in strengths {
            let pass = try TemporalPass(mode: .blend(strength: strength), measuring: false)
            var times: [Double] = []
            let outputs = try zip(inputs, fresh).map { input, output in
                try timed(into: &times) { try pass.process(input: input, fresh: output) }
            }
            let blended = try report(inputs: inputs, outputs: outputs, reference: fresh)
            let perFrame = Array(times.dropFirst())  // the first frame has no flow
            methods.append(Method(method: "blend", strength: strength, e_warp: blended.eWarp, fidelity: blended.fidelity ?? 0,
                                  e_warp_reduction: alone.eWarp / blended.eWarp, extra_ms_per_frame: median(perFrame),
                                  extra_ms_per_frame_fastest: perFrame.min() ?? 0))
        }
        return Clip(clip: move.rawValue, frames: inputs.count, input_e_warp: alone.inputEWarp,
                    reliable_fraction: alone.reliableFraction, methods: methods)
    }

    /// The flicker report of `outputs`, measured apart from the timed blend.
    private func report(inputs: [Tensor], outputs: [Tensor], reference: [Tensor]) throws -> FlickerReport {
        let meter = try FlickerMeter()
        for index in inputs.indices {
            try meter.add(input: inputs[index], output: outputs[index], reference: reference[index])
        }
        return try meter.report()
    }
}

/// `body`'s result, its wall time in milliseconds appended to `times`.
private func timed<T>(into times: inout [Double], _ body: () throws -> T) rethrows -> T {
    let start = ContinuousClock.now
    let result = try body()
    times.append((ContinuousClock.now - start).seconds * 1000)
    return result
}
