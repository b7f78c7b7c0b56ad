import Foundation
@testable import impasto
import Testing
import _TestSupport

/// Settings files (`--config`) in YAML and JSON, then mutated: every input must give the command's
/// one-line error or arguments, never a crash.
@Suite("Fuzz: the settings file reader")
struct FuzzConfigFileTests {
    static let yaml = """
        # a stylize run
        content: photos/cat.jpg
        style: [paintings/starry.jpg, paintings/wave.jpg]
        output: "out/cat.png"
        max-dim: 512
        content-weight: 1.5e0
        quiet: true
        style-image:
          - a.png
          - 'b c.png'
        """
    static let json = #"{"inputs": ["a.jpg", "b/"], "output": "out", "max-dim": 256, "strength": 0.75, "quiet": false}"#

    /// Keys and positionals from both seeds, so that mutated files reach argument building too.
    static let command = ConfigurableCommand(
        name: "stylize", keys: ["output", "max-dim", "content-weight", "quiet", "style-image", "strength"],
        positionalKeys: ["content", "style", "inputs"], extraValuesFlag: "--style", repeatableKeys: ["style-image"])

    @Test(arguments: ["yaml", "json"])
    func mutatedFilesGiveAOneLineErrorOrArguments(_ format: String) throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("settings.\(format)").path
        let seed = Array((format == "yaml" ? Self.yaml : Self.json).utf8)
        try Data(seed).write(to: URL(fileURLWithPath: path))
        #expect(try ConfigFile(path: path).arguments(for: Self.command, skippingPositionals: true,
                                                     skippingExtraValues: false).contains("--max-dim"))
        Fuzz.run("config.\(format)", seeds: [seed], inputs: Fuzz.budget(suiteDefault: 1_000), seed: 4,
                 isTyped: { ($0 as? CommandError).map { !$0.description.contains("\n") } ?? false }) { bytes in
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let file = try ConfigFile(path: path)
            _ = try file.arguments(for: Self.command, skippingPositionals: bytes.count % 2 == 0, skippingExtraValues: false)
        }
    }
}
