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
        /// The codec of each audio stream, as ffprobe names it ("aac", "opus", "pcm_s16le", …).
        public var audioCodecs: [String]

        public var hasAudio: Bool { !audioCodecs.isEmpty }

        /// The size frames are stylised at: shrunk to `maxDimension`, sides even (H.264's 4:2:0 needs it).
        public func frameSize(maxDimension: Int?) -> (width: Int, height: Int) {
            let fitted = maxDimension.map { ImageFile.fittedSize(width: width, height: height, maxDimension: $0) }
                ?? (width: width, height: height)
            return (max(2, fitted.width / 2 * 2), max(2, fitted.height / 2 * 2))
        }
    }

    public func probe(_ url: URL) throws -> Probe {
        let output = try run(ffprobe, ["-v", "error", "-show_entries",
                                       "stream=codec_type,codec_name,width,height,r_frame_rate,nb_frames",
                                       "-of", "json", url.path], what: url.path)
        struct Streams: Decodable {
            struct Stream: Decodable {
                var codec_type: String
                var codec_name: String?
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
                     audioCodecs: streams.filter { $0.codec_type == "audio" }.map { $0.codec_name ?? "unknown" })
    }

    /// Frames of `url` scaled to `width × height`, one `1 × 3 × H × W` tensor in [0, 1] at a time.
    public func decode(_ url: URL, width: Int, height: Int) throws -> FrameReader {
        let arguments = ["-v", "error", "-i", url.path, "-vf", "scale=\(width):\(height):flags=lanczos",
                         "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
        return try FrameReader(process: start(arguments, input: nil), width: width, height: height, source: url.path)
    }

    /// An encoder writing `url`: H.264 (VP9 for .webm) at `rate`, with the audio of `audioFrom`
    /// when given: copied unchanged where the container holds its codec, else re-encoded
    /// (`audioEncoder`).
    public func encode(to url: URL, width: Int, height: Int, rate: String, audioFrom: URL?) throws -> FrameWriter {
        var arguments = ["-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
                         "-framerate", rate, "-i", "pipe:0"]
        if let audioFrom {
            let codec = try audioEncoder(for: url, codecs: try probe(audioFrom).audioCodecs)
            arguments += ["-i", audioFrom.path, "-map", "0:v:0", "-map", "1:a", "-c:a", codec]
        }
        arguments += url.pathExtension.lowercased() == "webm"
            ? ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "30"]
            : ["-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p"]
        arguments.append(url.path)
        // An encoder that quits (a bad destination, a codec its container refuses) would end
        // Impasto with SIGPIPE at the next frame, silently and leaving the partial file; ignored,
        // the write fails and the encoder's own message is reported.
        signal(SIGPIPE, SIG_IGN)
        return try FrameWriter(process: start(arguments, input: Pipe()), width: width, height: height, destination: url.path)
    }

    /// The audio codecs each container holds, by ffprobe's names; mkv (and any other) holds all.
    static let audioCodecsHeld: [String: Set<String>] = [
        "webm": ["opus", "vorbis"],
        "mp4": ["aac", "mp3", "alac", "ac3", "eac3", "opus"],
        "mov": ["aac", "mp3", "alac", "ac3", "eac3", "pcm_s16le", "pcm_s16be", "pcm_s24le", "pcm_s24be"],
    ]

    /// `-c:a` for audio streams of `codecs` going into `destination`: `copy` when its container
    /// holds them all, else its usual codec: Opus (Vorbis if this ffmpeg lacks libopus) for WebM,
    /// AAC for MP4 and QuickTime. A phone video's AAC into .webm used to fail once the run ended.
    func audioEncoder(for destination: URL, codecs: [String]) throws -> String {
        let container = destination.pathExtension.lowercased()
        guard let held = Self.audioCodecsHeld[container], !codecs.allSatisfy(held.contains) else { return "copy" }
        guard container == "webm" else { return "aac" }
        let encoders = String(decoding: try run(ffmpeg, ["-hide_banner", "-encoders"], what: "ffmpeg -encoders"), as: UTF8.self)
        let available = Set(encoders.split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first })
        guard let encoder = ["libopus", "libvorbis"].first(where: { available.contains(Substring($0)) }) else {
            throw VideoError.noAudioEncoder(path: destination.path, codecs: codecs)
        }
        return encoder
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

/// Raw RGB frames from an ffmpeg decoder, which is stopped if the reader is dropped unfinished.
public final class FrameReader {
    private let child: FFmpegChild
    private let handle: FileHandle
    private let width: Int
    private let height: Int
    private let source: String

    init(process: Process, width: Int, height: Int, source: String) {
        handle = (process.standardOutput as! Pipe).fileHandleForReading
        child = FFmpegChild(process, pipe: handle, writing: nil)
        (self.width, self.height, self.source) = (width, height, source)
    }

    deinit { child.stopIfRunning() }

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
        try child.waitForSuccess(path: source)
    }

    /// Stops the decoder before the end of the video: it would otherwise wait for ever to write
    /// frames no one reads (an interrupted run used to hang here).
    public func stop() { child.stop() }
}

/// Raw RGB frames into an ffmpeg encoder, which is stopped if the writer is dropped unfinished.
public final class FrameWriter {
    private let child: FFmpegChild
    private let handle: FileHandle
    private let width: Int
    private let height: Int
    private let destination: String

    init(process: Process, width: Int, height: Int, destination: String) {
        handle = (process.standardInput as! Pipe).fileHandleForWriting
        child = FFmpegChild(process, pipe: handle, writing: destination)
        (self.width, self.height, self.destination) = (width, height, destination)
    }

    deinit { child.stopIfRunning() }

    /// Sends one frame; when the encoder has quit, throws its own message.
    public func write(_ frame: Tensor) throws {
        precondition(frame.shape == Shape(1, 3, height, width), "frame \(frame.shape) is not \(width)×\(height)")
        let bytes = try ImageFile.quantized(frame, for: destination).bytes
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            try? handle.close()
            try child.waitForSuccess(path: destination)
            throw VideoError.failed(path: destination, message: "the encoder stopped reading frames")
        }
    }

    /// Closes the pipe, waits for the encoder and reports its failure, if any.
    public func finish() throws {
        try handle.close()
        try child.waitForSuccess(path: destination)
    }

    /// Stops the encoder without finishing the file (the caller removes it).
    public func abandon() { child.stop() }
}

/// A running ffmpeg, known to `ChildProcesses` (so a second signal can kill it and remove its
/// file) until it has ended, when its process id may be reused and its file is the caller's.
final class FFmpegChild {
    private let process: Process
    private let pipe: FileHandle
    private var slot: Int?

    init(_ process: Process, pipe: FileHandle, writing file: String?) {
        (self.process, self.pipe) = (process, pipe)
        slot = ChildProcesses.register(process.processIdentifier, writing: file)
    }

    /// Waits for it to end; a failure carries the last line it printed.
    func waitForSuccess(path: String) throws {
        defer { forget() }
        try ImpastoImage.waitForSuccess(process, path: path)
    }

    /// Stops it at once, closing our end of its pipe so it cannot block on it.
    func stop() {
        process.terminate()
        try? pipe.close()
        process.waitUntilExit()
        forget()
    }

    func stopIfRunning() {
        if process.isRunning { stop() } else { forget() }
    }

    private func forget() {
        ChildProcesses.unregister(slot)
        slot = nil
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
    /// The container holds none of the audio's codecs and this ffmpeg has no encoder for one it holds.
    case noAudioEncoder(path: String, codecs: [String])

    public var description: String {
        switch self {
        case .ffmpegMissing: "ffmpeg and ffprobe not found on the PATH; install them (Debian: apt-get install ffmpeg)"
        case .notAVideo(let path): "\(path): no video stream ffprobe can read"
        case .failed(let path, let message):
            "\(path): ffmpeg failed (\(message.split(separator: "\n").last.map(String.init) ?? "no message"))"
        case .noAudioEncoder(let path, let codecs):
            "\(path): WebM cannot hold the \(codecs.joined(separator: ", ")) audio and this ffmpeg has no Opus or Vorbis "
                + "encoder (libopus, libvorbis); write .mkv or .mp4 instead"
        }
    }
}
