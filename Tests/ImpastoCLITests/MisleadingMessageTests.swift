import Foundation
import Testing
import _TestSupport

/// Messages that used to send the user the wrong way (issue #23): a damaged file of the user's
/// told them to fetch Impasto's weights again, a negative number was called a missing value, a
/// folder given as an image was "not an image", and an empty folder ended with success and
/// nothing written.
@Suite("Messages that say what is wrong")
struct MisleadingMessageTests {
    @Test func aDamagedModelOfTheUsersIsCalledDamagedNotToBeFetchedAgain() throws {
        let folder = try scratchFolder()
        let model = folder.appendingPathComponent("mine.safetensors")
        // A header length pointing far past the end of the file, then noise.
        try Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0] + (0..<200).map { UInt8($0) }).write(to: model)
        let result = try CLI.run(["apply", "--model", model.path, try Fixtures.tinyContent.path, "-o",
                                  folder.appendingPathComponent("out.png").path])
        #expect(result.status == 1)
        #expect(result.errors == "Error: \(model.path): the file is damaged or not a weight file (its sizes point past its end)\n")
    }

    @Test(arguments: [("--max-dim", "-5", "--max-dim must be at least 16 pixels, not -5"),
                      ("--max-dim", "-1e3", "--max-dim")])
    func aNegativeNumberIsJudgedAsAValue(_ flag: String, _ value: String, _ expected: String) throws {
        let folder = try scratchFolder()
        let result = try CLI.run(["apply", "--builtin", "3", try Fixtures.tinyContent.path, "-o",
                                  folder.appendingPathComponent("out.png").path, flag, value])
        #expect(result.status != 0)
        #expect(result.errors.hasPrefix("Error: ") && result.errors.contains(expected))
        #expect(!result.errors.contains("Missing value"))
    }

    @Test func anEmptyFolderIsAnErrorNotASilentSuccess() throws {
        let folder = try scratchFolder()
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let result = try CLI.run(["apply", "--builtin", "3", empty.path, "-o", folder.appendingPathComponent("out").path])
        #expect(result.status == 1)
        #expect(result.errors == "Error: \(empty.path): no files to stylise\n")
    }

    @Test func aFolderGivenAsTheContentOrStyleImageIsCalledAFolder() throws {
        let folder = try scratchFolder()
        let (photo, painting) = (try Fixtures.tinyContent.path, try Fixtures.tinyStyle.path)
        for images in [[folder.path, painting], [photo, folder.path]] {
            let result = try CLI.run(["stylize"] + images + ["-o", folder.appendingPathComponent("out.png").path])
            #expect(result.status == 1)
            #expect(result.errors == "Error: \(folder.path): a folder, not an image file\n")
        }
    }
}
