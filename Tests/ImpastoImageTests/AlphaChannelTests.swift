import Foundation
import ImpastoCore
@testable import ImpastoImage
import Testing

/// PNG files written byte by byte (zlib "stored" blocks: no compression), so that the photos these
/// tests read do not come from the library under test.
enum HandMadePNG {
    /// An 8-bit RGBA PNG whose pixel at (x, y) is `pixel(x, y)`.
    static func rgba(width: Int, height: Int, pixel: (Int, Int) -> [UInt8]) -> [UInt8] {
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)                                   // filter: none
            for x in 0..<width { raw += pixel(x, y) }
        }
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 6, 0, 0, 0]                           // 8-bit, RGBA, deflate, no filter, no interlace
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let count = min(65535, data.count - start)
            let final: UInt8 = start + count == data.count ? 1 : 0
            out += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[start..<start + count]
            start += count
        } while start < data.count
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian(b << 16 | a)
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
}

func scratchFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString)-\(name)")
}

@Suite("A transparent photo keeps its alpha")
struct AlphaChannelTests {
    static let (width, height) = (12, 8)
    /// Opacity across the whole range, 0 (top left) and 255 included.
    static func opacity(_ x: Int, _ y: Int) -> UInt8 { UInt8(min(255, x * 23 + y * 5)) }
    static let png = HandMadePNG.rgba(width: width, height: height) { x, y in
        [UInt8(x * 20), UInt8(y * 30), 100, opacity(x, y)]
    }
    static let expectedAlpha = (0..<height).flatMap { y in (0..<width).map { x in Float(opacity(x, y)) / 255 } }

    private func written(_ bytes: [UInt8], as name: String) throws -> URL {
        let url = scratchFile(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test func anRGBAPNGLoadsWithItsAlphaExactlyAndItsColourFlattenedAsBefore() throws {
        let url = try written(Self.png, as: "rgba.png")
        defer { try? FileManager.default.removeItem(at: url) }
        let photo = try ImageFile.loadWithAlpha(url)
        #expect(photo.alpha?.shape == Shape(1, 1, Self.height, Self.width))
        #expect(photo.alpha?.scalars == Self.expectedAlpha)
        #expect(photo.colour.scalars == (try ImageFile.load(url)).scalars, "the network sees what `load` gives")
        #expect(photo.frameCount == 1)
        #expect(photo.colour.scalars[0] == 1, "a fully transparent pixel is white")
    }

    @Test(arguments: ["png", "tif", "webp"])
    func alphaWrittenToAFormatThatHoldsItComesBackEqual(_ ext: String) throws {
        let input = try written(Self.png, as: "rgba.png")
        let output = scratchFile("out.\(ext)")
        defer { for url in [input, output] { try? FileManager.default.removeItem(at: url) } }
        let photo = try ImageFile.loadWithAlpha(input)
        try ImageFile.save(photo.colour, alpha: photo.alpha, to: output)
        #expect(try ImageFile.loadWithAlpha(output).alpha?.scalars == Self.expectedAlpha)
        #expect(ImageWarning.warnings(for: photo, destination: output).isEmpty)
    }

    @Test func aJPEGGetsTheColourAloneAndAWarningSaysSo() throws {
        let input = try written(Self.png, as: "rgba.png")
        let output = scratchFile("out.jpg")
        defer { for url in [input, output] { try? FileManager.default.removeItem(at: url) } }
        let photo = try ImageFile.loadWithAlpha(input)
        try ImageFile.save(photo.colour, alpha: photo.alpha, to: output)
        #expect(try ImageFile.loadWithAlpha(output).alpha == nil)
        let warnings = ImageWarning.warnings(for: photo, destination: output)
        #expect(warnings == [.transparencyDropped(format: "JPG")])
        #expect(warnings.map(\.description) == ["transparency dropped: JPG cannot hold it (write .png, .webp or .tif to keep it)"])
    }

    /// A network may return a few pixels more or less than it was given; the alpha follows.
    @Test func alphaIsResizedToAResultOfAnotherSize() throws {
        let output = scratchFile("out.png")
        defer { try? FileManager.default.removeItem(at: output) }
        let colour = Tensor(shape: Shape(1, 3, 4, 6), scalars: [Float](repeating: 0.5, count: 72))
        let alpha = Tensor(shape: Shape(1, 1, 8, 12), scalars: [Float](repeating: 128 / 255, count: 96))
        try ImageFile.save(colour, alpha: alpha, to: output)
        let back = try ImageFile.loadWithAlpha(output)
        #expect(back.alpha?.shape == Shape(1, 1, 4, 6))
        #expect(back.alpha?.scalars.allSatisfy { $0 == 128 / 255 } == true)
    }

    @Test func anOpaquePhotoHasNoAlpha() throws {
        let output = scratchFile("opaque.png")
        defer { try? FileManager.default.removeItem(at: output) }
        try ImageFile.save(Tensor(shape: Shape(1, 3, 4, 6), scalars: [Float](repeating: 0.25, count: 72)), to: output)
        let photo = try ImageFile.loadWithAlpha(output)
        #expect(photo.alpha == nil)
        #expect(ImageWarning.warnings(for: photo, destination: scratchFile("x.jpg")).isEmpty)
    }

    @Test func alphaShrinksWithTheColour() throws {
        let url = try written(Self.png, as: "rgba.png")
        defer { try? FileManager.default.removeItem(at: url) }
        let photo = try ImageFile.loadWithAlpha(url, maxDimension: 6)
        #expect(photo.colour.shape == Shape(1, 3, 4, 6))
        #expect(photo.alpha?.shape == Shape(1, 1, 4, 6))
    }
}
