import Foundation
import Testing
import _TestSupport

/// `--config`, the settings file each run writes, `--checkpoint`/`--resume` and `--tolerance`.
@Suite("impasto stylize settings files and resuming (Tiny images)")
struct StylizeCommandSettingsTests {
    static func images() throws -> (content: String, style: String) {
        (try Fixtures.file(StylizeCommandTests.content).path, try Fixtures.file(StylizeCommandTests.style).path)
    }

    static let flags = ["--optimizer", "lbfgs", "--epochs", "1", "--steps-per-epoch", "4", "--seed", "3",
                        "--max-dim", "48", "--style-layers", "block1_conv1,block2_conv1,block3_conv1",
                        "--content-layers", "block3_conv2", "--quiet"]

    @Test func aConfigFileAndTheSameFlagsGiveIdenticalOutput() throws {
        let folder = try scratchFolder()
        let (content, style) = try Self.images()
        let byFlags = folder.appendingPathComponent("flags.png")
        let first = try CLI.run(["stylize", content, style, "-o", byFlags.path] + Self.flags)
        #expect(first.status == 0, "\(first.errors)")

        let yaml = folder.appendingPathComponent("run.yaml")
        try """
        content: \(content)
        style: [\(style)]
        optimizer: lbfgs
        epochs: 1
        steps-per-epoch: 4
        seed: 3
        max-dim: 48
        style-layers: [block1_conv1, block2_conv1, block3_conv1]
        content-layers: block3_conv2
        quiet: true
        """.write(to: yaml, atomically: true, encoding: .utf8)
        let byYAML = folder.appendingPathComponent("yaml.png")
        let second = try CLI.run(["stylize", "--config", yaml.path, "-o", byYAML.path])
        #expect(second.status == 0, "\(second.errors)")

        // The settings file the first run wrote repeats it exactly.
        let byWritten = folder.appendingPathComponent("written.png")
        let third = try CLI.run(["stylize", "--config", byFlags.path + ".json", "-o", byWritten.path, "--quiet"])
        #expect(third.status == 0, "\(third.errors)")

        let reference = try Data(contentsOf: byFlags)
        #expect(try Data(contentsOf: byYAML) == reference)
        #expect(try Data(contentsOf: byWritten) == reference)
    }

    @Test func flagsOverrideTheFileAndUnknownKeysAreNamed() throws {
        let folder = try scratchFolder()
        let (content, style) = try Self.images()
        let json = folder.appendingPathComponent("run.json")
        try Data(#"{"content": "\#(content)", "style": "\#(style)", "max-dim": 48, "steps-per-epoch": 5, "epochs": 1, "quiet": true}"#.utf8)
            .write(to: json)
        let output = folder.appendingPathComponent("out.png")
        let run = try CLI.run(["stylize", "--config", json.path, "-o", output.path, "--steps-per-epoch", "2"])
        #expect(run.status == 0, "\(run.errors)")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output.path + ".json")))
            as? [String: Any]
        #expect(written?["steps-per-epoch"] as? Int == 2)
        #expect(written?["max-dim"] as? Int == 48)
        #expect(written?["seed"] != nil)

        let bad = folder.appendingPathComponent("bad.yaml")
        try "max-dims: 48\n".write(to: bad, atomically: true, encoding: .utf8)
        let failed = try CLI.run(["stylize", "--config", bad.path, content, style, "-o", folder.appendingPathComponent("x.png").path])
        #expect(failed.status != 0)
        #expect(failed.errors.contains("bad.yaml: unknown key 'max-dims'"), "\(failed.errors)")
    }

    /// Adam, L-BFGS, and L-BFGS after a coarse stage (the checkpoint says which stage it is from).
    @Test(arguments: [["--optimizer", "adam"], ["--optimizer", "lbfgs"],
                      ["--optimizer", "lbfgs", "--scales", "2", "--scale-steps", "2"]])
    func aResumedRunEqualsAnUninterruptedOne(_ method: [String]) throws {
        let folder = try scratchFolder()
        let (content, style) = try Self.images()
        let common = ["stylize", content, style, "--seed", "5", "--max-dim", "48", "--epochs", "1", "--quiet"] + method
        let whole = folder.appendingPathComponent("whole.png")
        let wholeLog = folder.appendingPathComponent("whole.jsonl")
        let straight = try CLI.run(common + ["-o", whole.path, "--steps-per-epoch", "6", "--log", wholeLog.path])
        #expect(straight.status == 0, "\(straight.errors)")

        let checkpoint = folder.appendingPathComponent("run.ckpt")
        let half = try CLI.run(common + ["-o", folder.appendingPathComponent("half.png").path, "--steps-per-epoch", "3",
                                         "--checkpoint", checkpoint.path, "--checkpoint-every", "3"])
        #expect(half.status == 0, "\(half.errors)")
        let resumed = folder.appendingPathComponent("resumed.png")
        let resumedLog = folder.appendingPathComponent("resumed.jsonl")
        let rest = try CLI.run(common + ["-o", resumed.path, "--steps-per-epoch", "6", "--resume", checkpoint.path,
                                         "--log", resumedLog.path])
        #expect(rest.status == 0, "\(rest.errors)")

        #expect(try Data(contentsOf: resumed) == Data(contentsOf: whole))
        let losses = { (url: URL) in
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",")[1] }
        }
        #expect(try losses(resumedLog) == Array(try losses(wholeLog).suffix(3)))

        let mismatched = try CLI.run(common + ["-o", folder.appendingPathComponent("x.png").path, "--steps-per-epoch", "6",
                                               "--resume", checkpoint.path, "--content-weight", "1"])
        #expect(mismatched.status != 0)
        #expect(mismatched.errors.contains("written with different settings (lossWeights)"), "\(mismatched.errors)")
    }

    @Test func toleranceStopsASettledRunWithAReason() throws {
        let folder = try scratchFolder()
        let (content, style) = try Self.images()
        let result = try CLI.run(["stylize", content, style, "-o", folder.appendingPathComponent("out.png").path,
                                  "--max-dim", "48", "--epochs", "1", "--steps-per-epoch", "200",
                                  "--tolerance", "0.5", "--tolerance-steps", "2", "--seed", "1"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("Stopped after step 3: converged (loss changed by less than 0.5"), "\(result.errors)")
    }
}
