import Foundation
import ImpastoCore
import ImpastoImage
@testable import ImpastoStyle
import Testing
import _TestSupport

/// Random crops: reproducible from the seed (a resumed run sees the same crops), different from
/// step to step, mirrored when drawn so, and always cut from inside the photo.
@Suite("Training photos: random zoomed and mirrored crops")
struct TrainingAugmentationTests {
    /// A folder holding only the tiny content photo, so every batch is that photo.
    static func onePhotoFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try Fixtures.tinyContent, to: folder.appendingPathComponent("photo.png"))
        return folder
    }

    @Test func theSameSeedGivesTheSameCropsAndStepsGiveDifferentOnes() throws {
        let folder = try Self.onePhotoFolder()
        let augmentation = TrainingAugmentation(maximumZoom: 2)
        let images = try TrainingImages(folder: folder, size: 16, batchSize: 1, seed: 5, augmentation: augmentation)
        let again = try TrainingImages(folder: folder, size: 16, batchSize: 1, seed: 5, augmentation: augmentation)
        let crops = try (0..<6).map { try images.batch(iteration: $0).scalars }
        #expect(try (0..<6).map { try again.batch(iteration: $0).scalars } == crops)
        #expect(Set(crops.map { $0.map(\.bitPattern) }).count >= 5, "six steps gave too few distinct crops")
        let centre = try TrainingImages(folder: folder, size: 16, batchSize: 1, seed: 5)
        #expect(try centre.batch(iteration: 0).scalars == centre.batch(iteration: 1).scalars)
    }

    @Test func cropsArePiecesOfThePhotoMirroredWhenDrawn() {
        // A 3-channel 4×3 image whose values name their place: channel·100 + row·10 + column.
        var scalars: [Float] = []
        for channel in 0..<3 {
            for row in 0..<3 {
                for column in 0..<4 { scalars.append(Float(channel * 100 + row * 10 + column)) }
            }
        }
        let image = Tensor(shape: Shape(1, 3, 3, 4), scalars: scalars)
        let plain = TrainingImages.crop(image, size: 2, top: 1, left: 2)
        #expect(plain.scalars == [12, 13, 22, 23, 112, 113, 122, 123, 212, 213, 222, 223])
        let mirrored = TrainingImages.crop(image, size: 2, top: 1, left: 2, mirrored: true)
        #expect(mirrored.scalars == [13, 12, 23, 22, 113, 112, 123, 122, 213, 212, 223, 222])
    }

    @Test func aZoomedCropShowsLessOfThePhotoThanTheCentreCrop() throws {
        // At zoom 4 a 16-pixel crop covers a quarter of the photo's shorter side: finer detail,
        // so its neighbouring pixels are closer than the whole photo's shrunk to 16.
        let folder = try Self.onePhotoFolder()
        let zoomed = try TrainingImages(folder: folder, size: 16, batchSize: 1, seed: 2,
                                        augmentation: TrainingAugmentation(maximumZoom: 4))
        let centre = try TrainingImages(folder: folder, size: 16, batchSize: 1, seed: 2)
        /// The summed difference between horizontally neighbouring pixels.
        func roughness(_ image: Tensor) -> Float {
            let values = image.scalars
            var sum: Float = 0
            for index in 0..<(values.count - 1) where (index + 1) % 16 != 0 {
                sum += abs(values[index + 1] - values[index])
            }
            return sum
        }
        var zoomedRoughness: Float = 0
        for iteration in 0..<8 { zoomedRoughness += roughness(try zoomed.batch(iteration: iteration)) / 8 }
        #expect(zoomedRoughness < roughness(try centre.batch(iteration: 0)))
    }

    @Test(arguments: [0.5, 4.5, Double.nan])
    func zoomsOutsideOneToFourAreRefused(_ zoom: Double) throws {
        #expect(throws: ConfigurationError.self) {
            try TrainingImages(folder: try Self.onePhotoFolder(), size: 16, batchSize: 1, seed: 0,
                               augmentation: TrainingAugmentation(maximumZoom: zoom))
        }
    }
}
