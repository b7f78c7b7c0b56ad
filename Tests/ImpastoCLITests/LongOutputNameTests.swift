import Foundation
import Testing
import _TestSupport

/// `-o` names the file system takes (255 bytes) but whose temporary sibling it does not: refused
/// before any work with one line naming the flag (they used to fail once the result was written).
@Suite("Output names too long for their temporary name")
struct LongOutputNameTests {
    /// Each command's arguments around an output named `name` in `folder`.
    static func arguments(_ command: String, output: URL) throws -> [String] {
        let (content, style, tiny) = (try Fixtures.tinyContent.path, try Fixtures.tinyStyle.path, try Fixtures.file("images/tiny").path)
        return switch command {
        case "stylize": ["stylize", content, style, "--epochs", "1", "--steps-per-epoch", "1", "--quiet", "-o", output.path]
        case "apply": ["apply", "--model", try FastStyleCommandTests.importedModel(in: output.deletingLastPathComponent()).path,
                       content, "--quiet", "-o", output.path]
        case "train": ["train", style, "--dataset", tiny, "--image-size", "32", "--batch-size", "2", "--iterations", "1",
                       "--width", "quarter", "--quiet", "-o", output.path]
        default: ["video", "--model", style, content, "--quiet", "-o", output.path]
        }
    }

    /// 250 bytes: within the limit, but not with any command's temporary name (the longest
    /// allowed is 242 for a video, whose `.NAME.partial.mp4` adds 13 bytes).
    @Test(arguments: [("stylize", "png", 217), ("apply", "png", 217), ("train", "safetensors", 202), ("video", "mp4", 242)])
    func aNameWithNoRoomForItsTemporaryNameFailsFirst(_ command: String, extension: String, longest: Int) throws {
        let folder = try scratchFolder()
        let name = String(repeating: "n", count: 250 - `extension`.count - 1) + "." + `extension`
        let output = folder.appendingPathComponent(name)
        let arguments = try Self.arguments(command, output: output)
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let started = ContinuousClock.now
        let result = try CLI.run(arguments)
        #expect(result.status == 1)
        let beside = command == "train" ? "NAME.json, NAME.checkpoint, NAME.checkpoint.jpg" : "NAME.json"
        #expect(result.errors == "Error: --output \(output.path): the file name is 250 bytes; at most \(longest) leave room, "
            + "within the file system's 255, for the temporary name it is written through and the \(beside) beside it\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == before)
        #expect(ContinuousClock.now - started < .seconds(5), "refused before the work")
    }

    /// The limit is exact: the longest name that fits is written, one byte more is refused.
    @Test func theLongestNameThatFitsIsWritten() throws {
        let folder = try scratchFolder()
        for (length, status) in [(217, Int32(0)), (218, 1)] {
            let output = folder.appendingPathComponent(String(repeating: "n", count: length - 4) + ".png")
            let result = try CLI.run(try Self.arguments("apply", output: output))
            #expect(result.status == status, "\(length): \(result.errors)")
            #expect(FileManager.default.fileExists(atPath: output.path) == (status == 0))
        }
    }
}
