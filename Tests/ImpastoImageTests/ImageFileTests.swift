import Foundation
import ImpastoCore
import ImpastoImage
import Testing
import _TestSupport

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

private func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

/// The largest per-value difference between two images, in 8-bit steps.
private func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).map { abs($0 - $1) * 255 }.max() ?? .infinity
}

@Suite("Image files through libvips")
struct ImageFileTests {
    @Test func pngRoundTripsExactly() throws {
        let image = try ImageFile.load(fixture("base.png"))
        #expect(image.shape == Shape(1, 3, 8, 12))
        #expect(image.scalars[0] == 1 && image.scalars[96] == 0, "red corner")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try ImageFile.save(image, to: url) == 0)
        #expect(try ImageFile.load(url).scalars == image.scalars)
    }

    @Test(arguments: [("grey.png", 0.0), ("rgb16.png", 1.0), ("display-p3.jpg", 6.0)])
    func otherEncodingsBecomeSRGB(_ file: String, _ tolerance: Double) throws {
        let image = try ImageFile.load(fixture(file))
        #expect(image.shape == Shape(1, 3, 8, 12))
        if file == "grey.png" {
            let plane = 8 * 12
            let values = image.scalars
            #expect((0..<plane).allSatisfy { values[$0] == values[plane + $0] && values[$0] == values[2 * plane + $0] })
        } else {
            let difference = maxDifference(image, try ImageFile.load(fixture("base.png")))
            #expect(Double(difference) <= tolerance, "\(file) differs by \(difference)/255")
        }
    }

    /// CMYK's gamut is smaller than sRGB's, so the round trip moves saturated colours; the
    /// red corner must still come back red.
    @Test func cmykBecomesSRGB() throws {
        let image = try ImageFile.load(fixture("cmyk.jpg"))
        #expect(image.shape == Shape(1, 3, 8, 12))
        let plane = 8 * 12
        let red = (image.scalars[0], image.scalars[plane], image.scalars[2 * plane])
        #expect(red.0 > 0.85 && red.1 < 0.2 && red.2 < 0.2, "red corner became \(red)")
    }

    @Test func exifOrientationIsApplied() throws {
        let image = try ImageFile.load(fixture("exif-orientation-6.jpg"))
        #expect(image.shape == Shape(1, 3, 8, 12))
        #expect(maxDifference(image, try ImageFile.load(fixture("base.png"))) <= 12)
    }

    @Test func transparentPixelsAreFlattenedOntoWhite() throws {
        let image = try ImageFile.load(fixture("rgba-transparent.png"))
        #expect(image.scalars.allSatisfy { $0 == 1 })
    }

    @Test func shrinksToTheLongerSideAndNeverEnlarges() throws {
        let shrunk = try ImageFile.load(fixture("base.png"), maxDimension: 6)
        #expect(shrunk.shape == Shape(1, 3, 4, 6))
        #expect(try ImageFile.load(fixture("base.png"), maxDimension: 512).shape == Shape(1, 3, 8, 12))
        #expect(ImageFile.fittedSize(width: 451, height: 300, maxDimension: 512) == (451, 300))
        #expect(ImageFile.fittedSize(width: 1024, height: 640, maxDimension: 512) == (512, 320))
        #expect(ImageFile.fittedSize(width: 804, height: 1024, maxDimension: 512) == (402, 512))
    }

    @Test func badInputsGiveOneLineErrorsNamingTheFile() {
        let missing = fixture("no-such-file.png")
        #expect(throws: ImageError.missing(path: missing.path)) { try ImageFile.load(missing) }
        #expect(throws: ImageError.notAnImage(path: fixture("not-an-image.png").path)) {
            try ImageFile.load(fixture("not-an-image.png"))
        }
        do {
            _ = try ImageFile.load(fixture("truncated.jpg"))
            Issue.record("a truncated JPEG loaded")
        } catch let error as ImageError {
            guard case .damaged(let path, _) = error else { Issue.record("\(error)"); return }
            #expect(path == fixture("truncated.jpg").path)
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func savingClipsAndCountsOutOfRangeValues() throws {
        let image = Tensor(shape: Shape(1, 3, 1, 2), scalars: [-0.5, 0.5, 1.5, 1, 0, 0.25])
        let (bytes, clipped) = try ImageFile.quantized(image, for: "out.png")
        #expect(clipped == 2)
        // Interleaved RGB: pixel 0 is (−0.5, 1.5, 0), pixel 1 is (0.5, 1, 0.25).
        #expect(bytes == [0, 255, 0, 128, 255, 64])
    }

    /// A 16 × 16 JPEG whose frame header is rewritten to claim 65500 × 65500 pixels, as a
    /// decompression bomb does: refused from the header, at once, naming the file.
    @Test func aHeaderClaimingGigapixelsIsRefusedBeforeDecoding() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bomb.jpg")
        try ImageFile.save(Tensor(repeating: 0.5, shape: Shape(1, 3, 16, 16)), to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        let frame = try #require((0..<(bytes.count - 9)).first { bytes[$0] == 0xFF && [0xC0, 0xC2].contains(bytes[$0 + 1]) })
        bytes.replaceSubrange((frame + 5)..<(frame + 9), with: [0xFF, 0xDC, 0xFF, 0xDC])
        try Data(bytes).write(to: url)
        let started = ContinuousClock.now
        #expect(throws: ImageError.tooLarge(path: url.path, width: 65500, height: 65500, limit: ImageFile.maximumPixels)) {
            try ImageFile.load(url)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    /// NaN and infinity used to trap converting to bytes; now the save refuses, naming the file,
    /// and writes nothing (an earlier file of that name is kept).
    @Test func nonFiniteValuesAreRefusedNotWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("out.png")
        let image = Tensor(shape: Shape(1, 3, 1, 2), scalars: [.nan, 0.5, .infinity, 1, 0, 0.25])
        #expect(throws: ImageError.notFinite(path: url.path, count: 2)) { try ImageFile.save(image, to: url) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func anUnknownExtensionIsRefusedBeforeWriting() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("out.bmpx")
        #expect(throws: ImageError.unsupportedFormat(path: url.path)) {
            try ImageFile.save(Tensor(zeros: Shape(1, 3, 2, 2)), to: url)
        }
    }
}
