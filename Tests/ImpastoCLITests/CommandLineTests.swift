import Foundation
import Testing
import _TestSupport

/// Runs the built `impasto` binary (it sits beside the test bundle in the build folder).
struct CLI {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("impasto")

    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs `impasto` with its output going to files (pipes could fill and stall a chatty run).
    /// With `marker`, presses Ctrl-C once that text appears on standard error.
    static func run(_ arguments: [String], interruptAfter marker: String? = nil) throws -> Result {
        try run(arguments, signal: SIGINT, after: marker)
    }

    /// With `marker`, sends `signal` once that text appears on standard error.
    static func run(_ arguments: [String], signal: Int32, after marker: String?) throws -> Result {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (outURL, errURL) = (folder.appendingPathComponent("out"), folder.appendingPathComponent("err"))
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        if let marker {
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline,
                  !(try String(contentsOf: errURL, encoding: .utf8)).contains(marker) {
                Thread.sleep(forTimeInterval: 0.05)
            }
            kill(process.processIdentifier, signal)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: try String(contentsOf: outURL, encoding: .utf8),
                      errors: try String(contentsOf: errURL, encoding: .utf8))
    }
}

/// A fresh empty folder for one test's outputs.
func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("impasto stylize on the command line (Tiny images)")
struct StylizeCommandTests {
    static let content = "images/tiny/chelsea-cat-64x48.png"
    static let style = "images/tiny/starry-night-64x48.png"

    /// Each bad input: the arguments after `stylize CONTENT STYLE`, and what the error must say.
    static let badInputs: [(arguments: [String], message: String)] = [
        (["--max-dim", "0"], "--max-dim must be at least 16"),
        (["--style-layers", "block1_conv1,block9_conv1"], "'--style-layers <style-layers>': unknown layer 'block9_conv1'"),
        (["--content-weight=-1"], "--content-weight must be a finite number ≥ 0"),
        (["--style-weight", "nan"], "--style-weight must be a finite number ≥ 0"),
        (["--tv-weight", "inf"], "--tv-weight must be a finite number ≥ 0"),
        (["--steps-per-epoch", "0"], "--steps-per-epoch must be at least 1"),
        (["--progress-every", "0"], "--progress-every must be at least 1"),
        (["--optimizer", "adam", "--pyramid-levels", "3"], "--pyramid-levels applies to the L-BFGS optimiser only"),
        (["--starting-hessian", "identity"], "'identity' is invalid for '--starting-hessian <starting-hessian>'"),
        (["--preset", "fastest"], "'fastest' is invalid for '--preset <preset>'"),
        (["--style-blend", "1,2"], "--style-blend gives 2 weights for 1 styles"),
        (["--save-every", "5"], "--save-every needs --save-dir"),
    ]

    @Test(arguments: 0..<badInputs.count)
    func badFlagsFailWithOneLineAndWriteNothing(_ index: Int) throws {
        let (arguments, message) = Self.badInputs[index]
        let folder = try scratchFolder()
        let output = folder.appendingPathComponent("out.png").path
        let result = try CLI.run(["stylize", try Fixtures.file(Self.content).path, try Fixtures.file(Self.style).path,
                                  "-o", output] + arguments)
        #expect(result.status != 0)
        #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
                "not one line: \(result.errors)")
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func badFilesFailWithOneLineNamingTheFile() throws {
        let folder = try scratchFolder()
        let content = try Fixtures.file(Self.content).path
        let notAnImage = folder.appendingPathComponent("notes.png")
        try Data("hello".utf8).write(to: notAnImage)
        let truncated = folder.appendingPathComponent("cut.png")
        try Data(try Data(contentsOf: URL(fileURLWithPath: content)).prefix(2000)).write(to: truncated)
        let cases: [(arguments: [String], names: String)] = [
            ([folder.appendingPathComponent("missing.jpg").path, content, "-o", folder.appendingPathComponent("a.png").path],
             "missing.jpg: no such file"),
            ([notAnImage.path, content, "-o", folder.appendingPathComponent("b.png").path], "notes.png: not an image"),
            ([truncated.path, content, "-o", folder.appendingPathComponent("c.png").path], "cut.png: cannot decode"),
            ([content, content, "-o", folder.appendingPathComponent("no/such/folder/d.png").path], "does not exist"),
            ([content, content, "-o", content], "Impasto never overwrites an input"),
            // Both used to fail only after the whole run (or, for --log, write both into one file).
            ([content, content, "-o", folder.path], "is a folder; give a file name"),
            ([content, content, "-o", folder.appendingPathComponent("e.png").path,
              "--log", folder.appendingPathComponent("e.png").path], "is the same file as --output"),
        ]
        for (arguments, names) in cases {
            let result = try CLI.run(["stylize"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.errors.contains(names), "\(result.errors)")
            #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1,
                    "not one line: \(result.errors)")
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)) == ["notes.png", "cut.png"])
    }

    @Test func aShortRunWritesTheImageAndOneLogLinePerStep() throws {
        let folder = try scratchFolder()
        let output = folder.appendingPathComponent("out.jpg")
        let log = folder.appendingPathComponent("run.jsonl")
        let result = try CLI.run(["stylize", try Fixtures.file(Self.content).path, try Fixtures.file(Self.style).path,
                                  "-o", output.path, "--epochs", "2", "--steps-per-epoch", "3", "--seed", "7",
                                  "--log", log.path, "--save-every", "2", "--save-dir", folder.path])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("Seed 7"))
        #expect(result.errors.contains("Epoch 2/2"))
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 6)
        #expect(FileManager.default.fileExists(atPath: output.path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("step-00004.jpg").path))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.hasPrefix(".") }, "temporary files left: \(names)")
    }

    /// `--preset tutorial` is the former default run: its output is byte-identical to the image
    /// the build before the presets (3137724) wrote for the same command without `--preset`.
    @Test func presetTutorialIsByteIdenticalToTheFormerDefault() throws {
        let folder = try scratchFolder()
        let output = folder.appendingPathComponent("out.png")
        let result = try CLI.run(["stylize", try Fixtures.file(Self.content).path, try Fixtures.file(Self.style).path,
                                  "-o", output.path, "--preset", "tutorial", "--epochs", "1", "--steps-per-epoch", "10",
                                  "--seed", "1", "--quiet"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(try Data(contentsOf: output) == Data(contentsOf: try Fixtures.file("expected/tutorial-10-steps.png")))
    }

    @Test func helpShowsTheTypedChoices() throws {
        let result = try CLI.run(["stylize", "--help"])
        #expect(result.status == 0)
        let help = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for choices in ["values: recommended, tutorial", "values: adam, lbfgs", "values: none, strong-wolfe",
                        "values: scalar, diagonal", "values: max, avg", "values: none, luminance, histogram"] {
            #expect(help.contains(choices), "\(choices) missing from --help")
        }
    }

    @Test func sigtermStopsAfterTheStepAndKeepsTheImage() throws {
        let folder = try scratchFolder()
        let output = folder.appendingPathComponent("out.png")
        let result = try CLI.run(["stylize", try Fixtures.file(Self.content).path, try Fixtures.file(Self.style).path,
                                  "-o", output.path, "--preset", "tutorial", "--epochs", "1", "--steps-per-epoch", "100000",
                                  "--progress-every", "1"], signal: SIGTERM, after: "step 2/")
        #expect(result.status == 128 + SIGTERM)
        #expect(result.errors.contains("interrupted after step"), "\(result.errors)")
        #expect(FileManager.default.fileExists(atPath: output.path))
    }

    @Test func ctrlCStopsAfterTheStepAndKeepsTheImage() throws {
        let folder = try scratchFolder()
        let output = folder.appendingPathComponent("out.png")
        let result = try CLI.run(["stylize", try Fixtures.file(Self.content).path, try Fixtures.file(Self.style).path,
                                  "-o", output.path, "--epochs", "1", "--steps-per-epoch", "100000",
                                  "--progress-every", "1"], interruptAfter: "step 2/")
        #expect(result.status == 128 + SIGINT)
        #expect(result.errors.contains("interrupted after step"), "\(result.errors)")
        #expect(FileManager.default.fileExists(atPath: output.path))
    }
}
