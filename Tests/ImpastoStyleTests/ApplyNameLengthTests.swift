import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoStyle
import Testing

/// In a folder, a file whose result name the file system refuses used to fail the whole run after
/// stylising it (and names of 218 to 255 bytes failed too, on the temporary file's longer name).
@Suite("apply on a folder: result names too long for the file system")
struct ApplyNameLengthTests {
    @Test func aNameTooLongIsSkippedBeforeTheWorkAndALongOneThatFitsIsWritten() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = Tensor(shape: Shape(1, 3, 6, 8), scalars: (0..<144).map { Float($0 % 9) / 8 })
        // 240 bytes: fits, but its old temporary name (".NAME.UUID.png") did not.
        let fitting = folder.appendingPathComponent(String(repeating: "a", count: 236) + ".png")
        try ImageFile.save(photo, to: fitting)
        // 254 bytes without an extension: its result gains ".png" and would be 258 bytes.
        let unnamed = folder.appendingPathComponent(String(repeating: "b", count: 254))
        try FileManager.default.moveItem(at: try saved(photo, in: folder), to: unnamed)
        let results = folder.appendingPathComponent("out")
        let jobs = [ApplyJob(source: .file(fitting), destination: results.appendingPathComponent(fitting.lastPathComponent)),
                    ApplyJob(source: .file(unnamed), destination: results.appendingPathComponent(unnamed.lastPathComponent + ".png"))]
        var skipped: [String] = []
        var finished: (written: Int, of: Int)?
        try ApplyRun(stylizer: tinyStylizer(), jobs: jobs).run { event in
            switch event {
            case .skipped(_, _, let source, let reason): skipped.append("\(source): \(reason)")
            case .finished(let written, let total): finished = (written, total)
            default: break
            }
        }
        #expect(finished?.written == 1 && finished?.of == 2)
        #expect(FileManager.default.fileExists(atPath: jobs[0].destination!.path))
        let tooLong = jobs[1].destination!.path
        #expect(skipped == ["\(unnamed.path): \(tooLong): the file name would be 258 bytes, more than the 255 file systems allow; shorten it"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: results.path) == [fitting.lastPathComponent],
                "no temporary file is left behind")
    }

    @Test func aLonePhotoWithSuchANameFailsBeforeTheWork() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try saved(Tensor(shape: Shape(1, 3, 6, 8), scalars: [Float](repeating: 0.5, count: 144)), in: folder)
        let output = folder.appendingPathComponent(String(repeating: "c", count: 256) + ".png")
        var stylized = 0
        #expect(throws: ImageError.nameTooLong(path: output.path, bytes: 260, limit: 255)) {
            try ApplyRun(stylizer: tinyStylizer(), jobs: [ApplyJob(source: .file(input), destination: output)]).run { event in
                if case .stylized = event { stylized += 1 }
            }
        }
        #expect(stylized == 0)
    }

    private func saved(_ photo: Tensor, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("\(UUID().uuidString).png")
        try ImageFile.save(photo, to: url)
        return url
    }
}
