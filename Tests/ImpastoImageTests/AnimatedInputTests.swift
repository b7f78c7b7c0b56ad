import Foundation
import ImpastoCore
import ImpastoImage
import Testing

/// GIF files written byte by byte, with every pixel its own LZW run (a clear code before each), so
/// the codes stay 3 bits wide and need no dictionary.
enum HandMadeGIF {
    /// A black-and-white GIF of `frames.count` frames, each `width × height` pixels of 0 (black) or 1.
    static func make(width: Int, height: Int, frames: [[UInt8]]) -> [UInt8] {
        var bytes = Array("GIF89a".utf8) + littleEndian(width) + littleEndian(height) + [0x80, 0, 0]
        bytes += [0, 0, 0, 255, 255, 255]                   // global colour table: two entries
        for pixels in frames {
            bytes += [0x21, 0xF9, 4, 0x04] + littleEndian(10) + [0, 0]   // 0.1 s per frame
            bytes += [0x2C] + littleEndian(0) + littleEndian(0) + littleEndian(width) + littleEndian(height) + [0]
            bytes += [2] + subBlocks(packed(pixels.flatMap { [4, UInt16($0)] } + [5])) + [0]
        }
        return bytes + [0x3B]
    }

    private static func littleEndian(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }

    /// 3-bit codes packed least significant bit first.
    private static func packed(_ codes: [UInt16]) -> [UInt8] {
        var bytes: [UInt8] = []
        var (buffer, bits): (UInt32, Int) = (0, 0)
        for code in codes {
            buffer |= UInt32(code) << bits
            bits += 3
            while bits >= 8 { bytes.append(UInt8(buffer & 0xFF)); buffer >>= 8; bits -= 8 }
        }
        return bits > 0 ? bytes + [UInt8(buffer & 0xFF)] : bytes
    }

    private static func subBlocks(_ data: [UInt8]) -> [UInt8] {
        stride(from: 0, to: data.count, by: 255).flatMap { start in
            let block = data[start..<min(data.count, start + 255)]
            return [UInt8(block.count)] + block
        }
    }
}

@Suite("Animated inputs: only the first frame, and a line saying so")
struct AnimatedInputTests {
    static let (width, height) = (6, 4)
    static let black = [UInt8](repeating: 0, count: width * height), white = [UInt8](repeating: 1, count: width * height)

    private func gif(_ frames: [[UInt8]]) throws -> URL {
        let url = scratchFile("animated.gif")
        try Data(HandMadeGIF.make(width: Self.width, height: Self.height, frames: frames)).write(to: url)
        return url
    }

    @Test func aThreeFrameGIFIsReadAsItsFirstFrameWithAWarning() throws {
        let url = try gif([Self.black, Self.white, Self.white])
        defer { try? FileManager.default.removeItem(at: url) }
        let photo = try ImageFile.loadWithAlpha(url)
        #expect(photo.frameCount == 3)
        #expect(photo.colour.shape == Shape(1, 3, Self.height, Self.width))
        #expect(photo.colour.scalars.allSatisfy { $0 == 0 }, "the first frame is the black one")
        let warnings = ImageWarning.warnings(for: photo, destination: scratchFile("out.png"))
        #expect(warnings == [.firstFrameOnly(frames: 3)])
        #expect(warnings.map(\.description) == ["animated (3 frames): only the first frame is used"])
    }

    @Test func aStillGIFHasNoWarning() throws {
        let url = try gif([Self.white])
        defer { try? FileManager.default.removeItem(at: url) }
        let photo = try ImageFile.loadWithAlpha(url)
        #expect(photo.frameCount == 1)
        #expect(photo.colour.scalars.allSatisfy { $0 == 1 })
        #expect(ImageWarning.warnings(for: photo, destination: nil).isEmpty)
    }
}
