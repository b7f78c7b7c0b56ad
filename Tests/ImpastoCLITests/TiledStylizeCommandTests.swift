import Foundation
import ImpastoImage
import Testing
import _TestSupport

/// `impasto stylize --tile`: the same picture as the whole image, and a size too small named.
@Suite("impasto stylize --tile (Tiny images)")
struct TiledStylizeCommandTests {
    @Test func tilesGiveTheWholeImagesPicture() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var pictures: [[Float]] = []
        for (name, flags) in [("whole.png", []), ("tiled.png", ["--tile", "32"])] {
            let output = folder.appendingPathComponent(name)
            let result = try CLI.run(["stylize", try Fixtures.tinyContent.path, try Fixtures.tinyStyle.path, "-o", output.path,
                                      "--epochs", "1", "--steps-per-epoch", "3", "--seed", "1", "--quiet"] + flags)
            #expect(result.status == 0, "\(result.errors)")
            pictures.append(try ImageFile.load(output).scalars)
        }
        let largest = zip(pictures[0], pictures[1]).map { abs($0 - $1) }.max() ?? 1
        #expect(largest <= 2 / 255, "tiled and whole differ by \(largest)")
    }

    @Test func aTileTooSmallIsNamed() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["stylize", try Fixtures.tinyContent.path, try Fixtures.tinyStyle.path,
                                  "-o", folder.appendingPathComponent("out.png").path, "--tile", "3"])
        #expect(result.status != 0)
        #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines) == "Error: --tile must be at least 16 pixels, not 3")
    }
}
