import Foundation
import ImpastoCore
import ImpastoImage
import Testing
import _TestSupport

/// Small images in every format the loader meets, then mutated: every input must give an
/// `ImageError` or a well-formed image, never a crash.
@Suite("Fuzz: the image loader")
struct FuzzImageLoaderTests {
    /// A 16×12 photo as libvips writes it in each format, plus hand-made RGBA PNG and animated GIF.
    static func seeds() throws -> [[UInt8]] {
        let photo = Tensor(shape: Shape(1, 3, 12, 16), scalars: (0..<3 * 12 * 16).map { Float($0 * 7 % 256) / 255 })
        var seeds: [[UInt8]] = []
        for ext in ["png", "jpg", "webp", "tif"] {
            let url = scratchFile("seed.\(ext)")
            defer { try? FileManager.default.removeItem(at: url) }
            try ImageFile.save(photo, to: url)
            seeds.append([UInt8](try Data(contentsOf: url)))
        }
        seeds.append(HandMadePNG.rgba(width: 5, height: 3) { x, y in [UInt8(x * 50), UInt8(y * 80), 9, UInt8(x * 60)] })
        seeds.append(HandMadeGIF.make(width: 3, height: 2, frames: [[0, 1, 0, 1, 0, 1], [1, 1, 1, 0, 0, 0]]))
        return seeds
    }

    @Test func mutatedImagesGiveAnImageErrorOrAWellFormedImage() throws {
        Fuzz.run("image", seeds: try Self.seeds(), inputs: Fuzz.budget(suiteDefault: 1_000), seed: 3,
                 isTyped: { $0 is ImageError }) { bytes in
            // A new name each time: libvips caches loads by file name.
            let url = scratchFile("fuzz.img")
            defer { try? FileManager.default.removeItem(at: url) }
            try Data(bytes).write(to: url)
            // Always shrunk: a mutated GIF of 59 bytes may claim 63777×1111 pixels and decode (black);
            // turning 70 MP into floats takes minutes in a debug build, the shrink keeps it cheap.
            let photo = try ImageFile.loadWithAlpha(url, maxDimension: bytes.count % 2 == 0 ? 32 : 8)
            let shape = photo.colour.shape
            #expect(shape.n == 1 && shape.c == 3 && shape.h > 0 && shape.w > 0)
            #expect(photo.alpha.map { $0.shape == Shape(1, 1, shape.h, shape.w) } ?? true)
            #expect(photo.colour.scalars.allSatisfy { (0...1).contains($0) })
        }
    }
}
