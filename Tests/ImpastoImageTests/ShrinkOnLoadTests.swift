import Foundation
import ImpastoCore
@testable import ImpastoImage
import Testing

/// A large JPEG that a run shrinks 4× or more is decoded at a reduced size by libjpeg (2×, 4× or
/// 8×, at most half the whole shrink) rather than whole; Lanczos-3 does the rest, as before.
@Suite("Shrink-on-load for large JPEGs")
struct ShrinkOnLoadTests {
    @Test(arguments: [
        (6000, 4000, 512, 341, 4), (4000, 6000, 512, 341, 4), (4000, 6000, 341, 512, 4),   // EXIF rotation cannot change it
        (6000, 4000, 1024, 683, 2), (6000, 4000, 256, 171, 8), (6000, 4000, 100, 67, 8),
        (1000, 800, 800, 640, 1), (1000, 800, 300, 240, 1), (1000, 800, 0, 0, 1),             // under 4×: decoded whole
    ])
    func theDecoderShrinksByAtMostHalfTheWay(_ case: (Int, Int, Int, Int, Int)) {
        let (width, height, targetWidth, targetHeight, factor) = `case`
        #expect(ImageFile.jpegShrinkOnLoad(width: width, height: height, target: (targetWidth, targetHeight)) == factor)
    }

    /// Against decoding whole and resizing, the old path: a textured 1200×800 photo shrunk to 150
    /// (8× in all, 4× of it in the decoder) stays within a few 8-bit steps.
    @Test func theResultMatchesDecodingWholeAndResizing() throws {
        let (width, height) = (1200, 800)
        let plane = width * height
        var values = [Float](repeating: 0, count: 3 * plane)
        for y in 0..<height {
            for x in 0..<width {
                let (u, v) = (Float(x) / Float(width), Float(y) / Float(height))
                values[y * width + x] = 0.5 + 0.4 * sin(9 * u + 3 * v)
                values[plane + y * width + x] = 0.5 + 0.3 * cos(13 * v) * sin(4 * u)
                values[2 * plane + y * width + x] = 0.5 + 0.2 * sin(0.05 * Float(x + 2 * y))
            }
        }
        let url = scratchFile("large.jpg")
        defer { try? FileManager.default.removeItem(at: url) }
        try ImageFile.save(Tensor(shape: Shape(1, 3, height, width), scalars: values), to: url, quality: 92)
        let shrunk = try ImageFile.load(url, maxDimension: 150)
        let whole = try ImageFile.resized(try ImageFile.load(url), width: 150, height: 100)
        #expect(shrunk.shape == whole.shape)
        let differences = zip(shrunk.scalars, whole.scalars).map { abs($0 - $1) * 255 }
        let mean = differences.reduce(0, +) / Float(differences.count)
        #expect(differences.max()! <= 4 && mean <= 0.75, "max \(differences.max()!), mean \(mean) 8-bit steps")
    }
}
