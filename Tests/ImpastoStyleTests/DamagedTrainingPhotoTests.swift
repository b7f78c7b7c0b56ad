import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoStyle
import Synchronization
import Testing
import _TestSupport

/// A damaged photo among the training photos used to stop `train` at the batch that met it.
@Suite("Training skips photos that cannot be read")
struct DamagedTrainingPhotoTests {
    @Test func aDamagedPhotoIsReportedAndReplacedInItsBatch() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, fixture) in [try Fixtures.tinyContent, try Fixtures.tinyStyle].enumerated() {
            try FileManager.default.copyItem(at: fixture, to: folder.appendingPathComponent("good-\(index).png"))
        }
        // Not image data at all under an image's name: no decoding path can read it.
        try Data("not a photo".utf8).write(to: folder.appendingPathComponent("damaged.png"))
        let images = try TrainingImages(folder: folder, size: 16, batchSize: 2, seed: 1)
        let skipped = Mutex<[String]>([])
        for iteration in 0..<6 {
            let batch = try images.batch(iteration: iteration) { file, _ in skipped.withLock { $0.append(file.lastPathComponent) } }
            #expect(batch.shape == Shape(2, 3, 16, 16))
        }
        let names = skipped.withLock { $0 }
        #expect(!names.isEmpty && names.allSatisfy { $0 == "damaged.png" }, "\(names)")
    }
}
