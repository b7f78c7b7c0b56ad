import Foundation
import Testing
import _TestSupport

/// `impasto video` into WebM from a source with AAC audio, which WebM cannot hold.
@Suite("impasto video: AAC audio into .webm")
struct VideoAudioCommandTests {
    /// The audio is re-encoded to Opus (the run used to die of SIGPIPE when the encoder refused
    /// the copied AAC, leaving its partial file).
    @Test func aacAudioIsReencodedForWebM() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try FastStyleCommandTests.importedModel(in: folder)
        let clip = folder.appendingPathComponent("phone.mp4")
        try FastStyleCommandTests.write(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-f", "lavfi",
                                         "-i", "sine=frequency=440", "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                                         "-c:a", "aac", clip.path])
        let output = folder.appendingPathComponent("styled.webm")
        let result = try CLI.run(["video", "--model", model.path, clip.path, "-o", output.path, "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        let styled = try FastStyleCommandTests.probe(output)
        #expect(styled.frames == 10 && styled.hasAudio)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.hasPrefix(".") }, "temporary files left: \(names)")
    }
}
