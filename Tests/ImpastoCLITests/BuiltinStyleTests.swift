import Foundation
import Testing
import _TestSupport

/// `apply --builtin`, `video --builtin` and `styles`: the built-in 26-style network from the
/// command line (the network file comes from Impasto's cache, fetched on first use).
@Suite("impasto apply --builtin, video --builtin and styles")
struct BuiltinStyleTests {
    static let photo = "images/tiny/chelsea-cat-64x48.png"

    /// Each bad use: the arguments after `apply PHOTO -o OUT`, and what the one-line error says.
    static let badUses: [(arguments: [String], message: String)] = [
        (["--builtin", "26"], "Error: --builtin 26 has no style 26; the styles are 0–25"),
        (["--builtin", "3:0.5,3:0.5"], "Error: --builtin 3:0.5,3:0.5 names style 3 twice"),
        (["--builtin", "3:x"], "Error: --builtin 3:x '3:x' is not a style number 0–25 or style:weight (e.g. 19 or 3:0.5,12:0.5)"),
        (["--builtin", "starry"], "Error: --builtin starry 'starry' is not a style number 0–25 or style:weight"),
        (["--builtin", "3:0"], "Error: --builtin 3:0 gives every style the weight 0"),
        (["--builtin", "19", "--model", "model.safetensors"], "Error: use one of --model, --builtin and --style-image"),
    ]

    @Test(arguments: 0..<badUses.count)
    func badBuiltinValuesFailWithOneLineNamingTheFlag(_ index: Int) throws {
        let (arguments, message) = Self.badUses[index]
        let folder = try scratchFolder()
        let result = try CLI.run(["apply", try Fixtures.file(Self.photo).path, "-o",
                                  folder.appendingPathComponent("out.png").path] + arguments)
        #expect(result.status != 0)
        #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
                "not one line: \(result.errors)")
        #expect(result.errors.hasPrefix(message), "\(result.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func videoRefusesABadBuiltinValueToo() throws {
        let folder = try scratchFolder()
        let result = try CLI.run(["video", "--builtin", "30", "clip.mp4", "-o", folder.appendingPathComponent("out.mp4").path])
        #expect(result.status != 0)
        #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines) == "Error: --builtin 30 has no style 30; the styles are 0–25")
    }

    /// A blend stylises the photo at its own size, and the settings written beside the output
    /// repeat the run byte for byte.
    @Test func aBlendRunsAndRepeatsFromItsSettingsFile() throws {
        let folder = try scratchFolder()
        let first = folder.appendingPathComponent("first.png")
        let run = try CLI.run(["apply", "--builtin", "3:0.5,12:0.5", try Fixtures.file(Self.photo).path, "-o", first.path])
        #expect(run.status == 0, "\(run.errors)")
        #expect(try Self.pngSize(first) == [64, 48])
        let settings = first.appendingPathExtension("json")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: settings)) as? [String: Any]
        #expect(written?["builtin"] as? String == "3:0.5,12:0.5" && written?["model"] == nil)
        let again = folder.appendingPathComponent("again.png")
        let repeated = try CLI.run(["apply", "--config", settings.path, "-o", again.path, "--quiet"])
        #expect(repeated.status == 0, "\(repeated.errors)")
        #expect(try Data(contentsOf: again) == Data(contentsOf: first))
    }

    /// `apply … nest -o nest`, twice: the photo is never overwritten, and the second run does not
    /// stylise the first run's results, which lie inside the folder it reads.
    @Test func anOutputFolderInsideTheInputFolderIsNeverReadOrOverwritten() throws {
        let nest = try scratchFolder()
        let photo = nest.appendingPathComponent("a.png")
        try FileManager.default.copyItem(at: try Fixtures.file(Self.photo), to: photo)
        let original = try Data(contentsOf: photo)
        for _ in 0..<2 {
            let result = try CLI.run(["apply", "--builtin", "3", nest.path, "-o", nest.path, "--quiet"])
            #expect(result.status == 0, "\(result.errors)")
        }
        #expect(try Data(contentsOf: photo) == original)
        let name = nest.lastPathComponent
        #expect(FileManager.default.fileExists(atPath: nest.appendingPathComponent("\(name)/a.png").path))
        #expect(!FileManager.default.fileExists(atPath: nest.appendingPathComponent("\(name)/\(name)").path))
    }

    /// Ctrl-C used to hang `video` (the decoder blocked writing frames no one read) and leave
    /// its hidden partial file behind.
    @Test func ctrlCStopsAVideoAtOnceAndLeavesNoFiles() throws {
        let folder = try scratchFolder()
        let clip = folder.appendingPathComponent("clip.mp4")
        try FastStyleCommandTests.write(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=25",
                                         "-t", "20", "-pix_fmt", "yuv420p", clip.path])
        let output = folder.appendingPathComponent("out.mp4")
        let result = try CLI.run(["video", "--builtin", "3", clip.path, "-o", output.path], interruptAfter: "frame 25")
        #expect(result.status == 128 + SIGINT, "\(result.errors)")
        #expect(result.errors.contains("not written"), "\(result.errors)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        // Not even the settings file: it is written with the finished video.
        #expect(left == ["clip.mp4"], "\(left)")
    }

    @Test func videoRunsWithABuiltinStyle() throws {
        let folder = try scratchFolder()
        let clip = folder.appendingPathComponent("clip.mp4")
        try FastStyleCommandTests.write(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=48x32:rate=5",
                                         "-t", "0.4", "-pix_fmt", "yuv420p", clip.path])
        let output = folder.appendingPathComponent("out.mp4")
        let result = try CLI.run(["video", "--builtin", "19", clip.path, "-o", output.path, "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(FileManager.default.fileExists(atPath: output.path))
    }

    /// 64 × 48 shrunk to 32 × 24 tiles, six to a row over five rows, each with a 7-pixel label strip.
    @Test func stylesWritesASheetOfAllTwentySix() throws {
        let folder = try scratchFolder()
        let sheet = folder.appendingPathComponent("sheet.png")
        let result = try CLI.run(["styles", try Fixtures.file(Self.photo).path, "-o", sheet.path, "--tile", "32"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(try Self.pngSize(sheet) == [6 * 32, 5 * (24 + 7)])
        #expect(result.errors.contains("styles 0–25 row by row, 6 to a row"), "\(result.errors)")
    }

    /// Width and height from a PNG's IHDR chunk (big-endian, bytes 16–23).
    static func pngSize(_ url: URL) throws -> [Int] {
        let bytes = [UInt8](try Data(contentsOf: url).prefix(24))
        try #require(bytes.count == 24 && bytes[1...3] == [0x50, 0x4E, 0x47])
        func number(_ start: Int) -> Int { bytes[start..<(start + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return [number(16), number(20)]
    }
}
