import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoStyle
import Testing

/// A photo cut short in a folder is a counted skip naming it, not a half-grey result.
@Suite("apply on a folder: a truncated photo is skipped")
struct TruncatedPhotoApplyTests {
    @Test func theCutPhotoIsSkippedAndTheOthersWritten() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Tensor(shape: Shape(1, 3, 24, 32), scalars: (0..<3 * 24 * 32).map { Float(($0 &* 40503) >> 3 & 0xFF) / 255 })
        let good = folder.appendingPathComponent("good.png"), cut = folder.appendingPathComponent("cut.jpg")
        try ImageFile.save(photo, to: good)
        try ImageFile.save(photo, to: cut)
        let bytes = try Data(contentsOf: cut)
        try bytes.prefix(bytes.count * 2 / 3).write(to: cut)
        let results = folder.appendingPathComponent("out")
        let jobs = [good, cut].map { ApplyJob(source: .file($0), destination: results.appendingPathComponent($0.lastPathComponent)) }
        var skipped: [String] = []
        var written = 0
        try ApplyRun(stylizer: tinyStylizer(), jobs: jobs).run { event in
            if case .skipped(_, _, let source, let reason) = event { skipped.append("\(source): \(reason)") }
            if case .finished(let count, _) = event { written = count }
        }
        #expect(written == 1)
        #expect(skipped.count == 1 && skipped[0].hasPrefix("\(cut.path): \(cut.path): cannot decode the image ("), "\(skipped)")
        #expect(!FileManager.default.fileExists(atPath: results.appendingPathComponent("cut.jpg").path))
    }
}
