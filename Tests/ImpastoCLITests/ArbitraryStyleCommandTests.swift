import Foundation
import Testing
import _TestSupport

/// `apply --style-image` and `video --style-image`: any painting in one pass from the command
/// line (Magenta's arbitrary-style network from Impasto's cache, fetched on first use).
@Suite("impasto apply --style-image and video --style-image")
struct ArbitraryStyleCommandTests {
    static let photo = "images/tiny/chelsea-cat-64x48.png"
    static let painting = "images/tiny/starry-night-64x48.png"

    /// Each bad use: the arguments after `apply PHOTO -o OUT`, and what the one-line error says.
    static let badUses: [(arguments: [String], message: String)] = [
        (["--style-image", "no-such-painting.jpg"], "Error: --style-image no-such-painting.jpg: no such file"),
        (["--style-image", "PAINTING", "--style-weights", "1,2"],
         "Error: --style-weights 1,2: give 1 non-negative numbers separated by commas"),
        (["--style-image", "PAINTING", "--style-weights", "0"], "Error: --style-weights 0: give 1 non-negative numbers"),
        (["--style-image", "PAINTING", "--builtin", "3"], "Error: use one of --model, --builtin and --style-image"),
    ]

    @Test(arguments: 0..<badUses.count)
    func badValuesFailWithOneLineNamingTheFlag(_ index: Int) throws {
        let (arguments, message) = Self.badUses[index]
        let folder = try scratchFolder()
        let painting = try Fixtures.file(Self.painting).path
        let result = try CLI.run(["apply", try Fixtures.file(Self.photo).path, "-o", folder.appendingPathComponent("out.png").path]
                                 + arguments.map { $0 == "PAINTING" ? painting : $0 })
        #expect(result.status != 0)
        #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
                "not one line: \(result.errors)")
        #expect(result.errors.hasPrefix(message), "\(result.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// A blend of two paintings at half strength stylises the photo at its own size, and the
    /// settings written beside the output repeat the run byte for byte.
    @Test func paintingsBlendAndTheRunRepeatsFromItsSettingsFile() throws {
        let folder = try scratchFolder()
        let first = folder.appendingPathComponent("first.png")
        let paintings = [try Fixtures.file(Self.painting).path, try Fixtures.file(Self.photo).path]
        let run = try CLI.run(["apply", "--style-image", paintings[0], "--style-image", paintings[1], "--style-weights", "3,1",
                               "--strength", "0.5", try Fixtures.file(Self.photo).path, "-o", first.path])
        #expect(run.status == 0, "\(run.errors)")
        #expect(try BuiltinStyleTests.pngSize(first) == [64, 48])
        let settings = first.appendingPathExtension("json")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: settings)) as? [String: Any]
        #expect(written?["style-image"] as? [String] == paintings && written?["style-weights"] as? String == "3,1")
        let again = folder.appendingPathComponent("again.png")
        let repeated = try CLI.run(["apply", "--config", settings.path, "-o", again.path, "--quiet"])
        #expect(repeated.status == 0, "\(repeated.errors)")
        #expect(try Data(contentsOf: again) == Data(contentsOf: first))
    }

    @Test func videoRunsWithAPainting() throws {
        let folder = try scratchFolder()
        let clip = folder.appendingPathComponent("clip.mp4")
        try FastStyleCommandTests.write(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=48x32:rate=5",
                                         "-t", "0.4", "-pix_fmt", "yuv420p", clip.path])
        let output = folder.appendingPathComponent("out.mp4")
        let result = try CLI.run(["video", "--style-image", try Fixtures.file(Self.painting).path, clip.path,
                                  "-o", output.path, "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(FileManager.default.fileExists(atPath: output.path))
    }
}
