import Foundation
import ImpastoCore
import ImpastoImage
import Testing

/// The source's audio into each output container: copied where the container holds its codec,
/// re-encoded where it does not (AAC into WebM used to end the run when the encoder quit).
@Suite("Video audio into each container")
struct VideoAudioTests {
    /// A one-second 64×48 clip at 10 frames/s with a tone encoded by `audioEncoder`, in `folder`.
    static func clip(audioEncoder: String, container: String, in folder: URL) throws -> URL {
        let clip = folder.appendingPathComponent("source.\(container)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-f", "lavfi",
                             "-i", "sine=frequency=440:sample_rate=44100", "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                             "-c:a", audioEncoder, clip.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "ffmpeg could not make the \(audioEncoder) clip")
        return clip
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let grey = Tensor(shape: Shape(1, 3, 48, 64), scalars: [Float](repeating: 0.5, count: 3 * 48 * 64))

    /// (source audio encoder, source container, output container, the output's audio codec).
    @Test(arguments: [("aac", "mp4", "webm", "opus"), ("pcm_s16le", "mkv", "webm", "opus"),
                      ("pcm_s16le", "mkv", "mp4", "aac"), ("libopus", "mkv", "mov", "aac"),
                      ("aac", "mp4", "mp4", "aac"), ("libopus", "mkv", "mkv", "opus")])
    func theAudioEndsUpInACodecTheContainerHolds(_ source: String, _ sourceContainer: String, _ container: String,
                                                 _ expected: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Self.clip(audioEncoder: source, container: sourceContainer, in: folder)
        let output = folder.appendingPathComponent("out.\(container)")
        let ffmpeg = try FFmpeg()
        let writer = try ffmpeg.encode(to: output, width: 64, height: 48, rate: "10", audioFrom: clip)
        for _ in 0..<10 { try writer.write(Self.grey) }
        try writer.finish()
        #expect(try ffmpeg.probe(output).audioCodecs == [expected])
    }

    /// An encoder that cannot open its file quits at once; the next frame throws its message
    /// instead of ending the process with SIGPIPE.
    @Test func anEncoderThatQuitsIsReportedWithItsMessage() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("missing/out.mp4")
        let writer = try FFmpeg().encode(to: output, width: 64, height: 48, rate: "10", audioFrom: nil)
        do {
            for _ in 0..<10_000 { try writer.write(Self.grey) }
            Issue.record("10,000 frames went into an encoder that had quit")
        } catch let error as VideoError {
            guard case .failed(let path, let message) = error else { throw error }
            #expect(path == output.path)
            #expect(message.contains("No such file or directory"), "\(message)")
        }
    }
}
