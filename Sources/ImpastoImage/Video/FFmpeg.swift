import Foundation
import ImpastoCore

/// Video through the `ffmpeg` and `ffprobe` programs: frames are decoded to raw RGB on one
/// pipe and encoded from raw RGB on another, so Impasto links no codec library.
public struct FFmpeg: Sendable {
    public let ffmpeg: URL
    public let ffprobe: URL

    /// Finds both programs on the PATH.
    public init() throws {
        guard let ffmpeg = Self.find("ffmpeg"), let ffprobe = Self.find("ffprobe") else { throw VideoError.ffmpegMissing }
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
    }

    /// What a video holds, as far as stylising it needs.
    public struct Probe: Sendable {
        public var width: Int
        public var height: Int
        /// As ffprobe gives it, e.g. "30000/1001", passed back to the encoder unchanged.
        public var frameRate: String
        public var frameCount: Int?
        public var hasAudio: Bool

        /// The size frames are stylised at: shrunk to `maxDimension`, sides even (H.264's 4:2:0 needs it).
        public func frameSize(maxDimension: Int?) -> (width: Int, height: Int) {
            let fitted = maxDimension.map { ImageFile.fittedSize(width: width, height: height, maxDimension: $0) }
                ?? (width: width, height: height)
            return (max(2, fitted.width / 2 * 2), max(2, fitted.height / 2 * 2))
        }
    }

    public func probe(_ url: URL) throws -> Probe {
        let output = try run(ffprobe, ["-v", "error", "-show_entries", "stream=codec_type,width,height,r_frame_rate,nb_frames",
                                       "-of", "json", url.path], what: url.path)
        struct Streams: Decodable {
            struct Stream: Decodable {
                var codec_type: String
                var width: Int?
                var height: Int?
                var r_frame_rate: String?
                var nb_frames: String?
            }
            var streams: [Stream]
        }
        guard let streams = try? JSONDecoder().decode(Streams.self, from: output).streams,
              let video = streams.first(where: { $0.codec_type == "video" }),
              let width = video.width, let height = video.height, let rate = video.r_frame_rate
        else { throw VideoError.notAVideo(path: url.path) }
        return Probe(width: width, height: height, frameRate: rate, frameCount: video.nb_frames.flatMap { Int($0) },
                     hasAudio: streams.contains { $0.codec_type == "audio" })
    }

    /// Frames of `url` scaled to `width × height`, one `1 × 3 × H × W` tensor in [0, 1] at a time.
    public func decode(_ url: URL, width: Int, height: Int) throws -> FrameReader {
        let arguments = ["-v", "error", "-i", url.path, "-vf", "scale=\(width):\(height):flags=lanczos",
                         "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
        return try FrameReader(process: start(arguments, input: nil), width: width, height: height, source: url.path)
    }

    /// An encoder writing `url`: H.264 (VP9 for .webm) at `rate`, with the audio of `audioFrom`
    /// copied unchanged when given.
    public func encode(to url: URL, width: Int, height: Int, rate: String, audioFrom: URL?) throws -> FrameWriter {
        var arguments = ["-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
                         "-framerate", rate, "-i", "pipe:0"]
        if let audioFrom { arguments += ["-i", audioFrom.path, "-map", "0:v:0", "-map", "1:a", "-c:a", "copy"] }
        arguments += url.pathExtension.lowercased() == "webm"
            ? ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "30"]
            : ["-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p"]
        arguments.append(url.path)
        return try FrameWriter(process: start(arguments, input: Pipe()), width: width, height: height, destination: url.path)
    }

    private func start(_ arguments: [String], input: Pipe?) throws -> Process {
        let process = Process()
        process.executableURL = ffmpeg
        process.arguments = arguments
        process.standardOutput = input == nil ? Pipe() : FileHandle.nullDevice
        process.standardInput = input ?? FileHandle.nullDevice
        process.standardError = Pipe()
        try process.run()
        return process
    }

    private func run(_ program: URL, _ arguments: [String], what: String) throws -> Data {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        process.executableURL = program
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw VideoError.failed(path: what, message: String(decoding: message, as: UTF8.self))
        }
        return data
    }

    private static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// Raw RGB frames from an ffmpeg decoder.
public final class FrameReader {
    private let process: Process
    private let handle: FileHandle
    private let width: Int
    private let height: Int
    private let source: String

    init(process: Process, width: Int, height: Int, source: String) {
        self.process = process
        handle = (process.standardOutput as! Pipe).fileHandleForReading
        (self.width, self.height, self.source) = (width, height, source)
    }

    /// The next frame, or nil at the end of the video.
    public func nextFrame() throws -> Tensor? {
        let size = width * height * 3
        var bytes = Data()
        while bytes.count < size, let chunk = try handle.read(upToCount: size - bytes.count), !chunk.isEmpty {
            bytes.append(chunk)
        }
        if bytes.isEmpty { return nil }
        guard bytes.count == size else { throw VideoError.failed(path: source, message: "a frame ended early") }
        return bytes.withUnsafeBytes { raw in
            ImageFile.tensor(fromInterleaved: raw.bindMemory(to: UInt8.self), width: width, height: height)
        }
    }

    /// Waits for the decoder and reports its failure, if any.
    public func finish() throws {
        try waitForSuccess(process, path: source)
    }

    /// Stops the decoder before the end of the video: it would otherwise wait for ever to write
    /// frames no one reads (an interrupted run used to hang here).
    public func stop() {
        process.terminate()
        try? handle.close()
        process.waitUntilExit()
    }
}

/// Raw RGB frames into an ffmpeg encoder.
public final class FrameWriter {
    private let process: Process
    private let handle: FileHandle
    private let width: Int
    private let height: Int
    private let destination: String

    init(process: Process, width: Int, height: Int, destination: String) {
        self.process = process
        handle = (process.standardInput as! Pipe).fileHandleForWriting
        (self.width, self.height, self.destination) = (width, height, destination)
    }

    public func write(_ frame: Tensor) throws {
        precondition(frame.shape == Shape(1, 3, height, width), "frame \(frame.shape) is not \(width)×\(height)")
        try handle.write(contentsOf: ImageFile.quantized(frame, for: destination).bytes)
    }

    /// Closes the pipe, waits for the encoder and reports its failure, if any.
    public func finish() throws {
        try handle.close()
        try waitForSuccess(process, path: destination)
    }

    /// Stops the encoder without finishing the file (the caller removes it).
    public func abandon() {
        process.terminate()
        try? handle.close()
        process.waitUntilExit()
    }
}

/// Waits for an ffmpeg process; a failure carries the last line it printed.
private func waitForSuccess(_ process: Process, path: String) throws {
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let message = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        throw VideoError.failed(path: path, message: String(decoding: message, as: UTF8.self))
    }
}

public enum VideoError: Error, CustomStringConvertible, Equatable {
    case ffmpegMissing
    case notAVideo(path: String)
    case failed(path: String, message: String)

    public var description: String {
        switch self {
        case .ffmpegMissing: "ffmpeg and ffprobe not found on the PATH; install them (Debian: apt-get install ffmpeg)"
        case .notAVideo(let path): "\(path): no video stream ffprobe can read"
        case .failed(let path, let message):
            "\(path): ffmpeg failed (\(message.split(separator: "\n").last.map(String.init) ?? "no message"))"
        }
    }
}
