import Foundation
import ImpastoCore
import ImpastoImage

/// Hostile files, made by the tests themselves: each lies about its size, nests without end,
/// breaks off, or holds values no computation should meet.
enum HostileInputs {
    /// A PNG whose header claims `width × height` pixels over a few bytes of data.
    static func pngClaiming(width: UInt32, height: UInt32) -> Data {
        var header = Data()
        for value in [width, height] { header.append(contentsOf: bigEndian(value)) }
        header.append(contentsOf: [8, 2, 0, 0, 0])   // 8-bit RGB
        // A zlib stream of one stored block of 100 zero bytes (a valid start; the rest is missing).
        let stored: [UInt8] = [0x78, 0x01, 0x01, 100, 0, 155, 255] + [UInt8](repeating: 0, count: 100) + bigEndian(100 << 16 | 1)
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + chunk("IHDR", header)
            + chunk("IDAT", Data(stored)) + chunk("IEND", Data())
    }

    /// A 16 × 16 JPEG whose frame header is rewritten to claim 65500 × 65500 pixels.
    static func jpegClaimingGigapixels(in folder: URL) throws -> Data {
        let url = folder.appendingPathComponent(".made.jpg")
        defer { try? FileManager.default.removeItem(at: url) }
        try ImageFile.save(Tensor(repeating: 0.5, shape: Shape(1, 3, 16, 16)), to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        guard let frame = (0..<(bytes.count - 9)).first(where: { bytes[$0] == 0xFF && [0xC0, 0xC2].contains(bytes[$0 + 1]) }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        bytes.replaceSubrange((frame + 5)..<(frame + 9), with: [0xFF, 0xDC, 0xFF, 0xDC])
        return Data(bytes)
    }

    /// A `side × side` grey PNG.
    static func png(side: Int, in folder: URL) throws -> Data {
        let url = folder.appendingPathComponent(".made.png")
        defer { try? FileManager.default.removeItem(at: url) }
        try ImageFile.save(Tensor(repeating: 0.4, shape: Shape(1, 3, side, side)), to: url)
        return try Data(contentsOf: url)
    }

    /// Nine levels of YAML aliases, each naming the one below nine times: 9⁹ values once expanded.
    static var yamlAliasBomb: Data {
        var lines = [#"inputs: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]"#]
        for level in 1...8 {
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    static func jsonNested(_ levels: Int) -> Data {
        Data((String(repeating: "[", count: levels) + String(repeating: "]", count: levels)).utf8)
    }

    /// Protocol-2 pickle of `levels` empty lists, each appended into the one below.
    static func pickleNested(_ levels: Int) -> Data {
        Data([0x80, 0x02] + [UInt8](repeating: UInt8(ascii: "]"), count: levels)
             + [UInt8](repeating: UInt8(ascii: "a"), count: levels - 1) + [UInt8(ascii: ".")])
    }

    /// A safetensors file with `header` as its JSON header and `dataBytes` zero bytes of data.
    static func safetensors(header: String, dataBytes: Int = 4) -> Data {
        var data = Data(littleEndian(UInt64(header.utf8.count)))
        data.append(Data(header.utf8))
        data.append(Data(repeating: 0, count: dataBytes))
        return data
    }

    /// A safetensors file whose header length claims 2⁶⁰ bytes.
    static var safetensorsWithLyingLength: Data { Data(littleEndian(UInt64(1) << 60)) + Data("{}".utf8) }

    /// `model` with its first weight replaced by NaN.
    static func withNaN(_ model: Data) throws -> Data {
        var bytes = [UInt8](model)
        let headerLength = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let dataStart = 8 + headerLength
        guard bytes.count >= dataStart + 4 else { throw CocoaError(.fileReadCorruptFile) }
        bytes.replaceSubrange(dataStart..<(dataStart + 4), with: littleEndian(Float.nan.bitPattern))
        return Data(bytes)
    }

    private static func chunk(_ type: String, _ body: Data) -> Data {
        let typeAndBody = Data(type.utf8) + body
        return Data(bigEndian(UInt32(body.count))) + typeAndBody + Data(bigEndian(crc32(typeAndBody)))
    }

    /// PNG's CRC-32 (polynomial 0xEDB88320), bit by bit: chunks here are a few bytes.
    private static func crc32(_ bytes: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
