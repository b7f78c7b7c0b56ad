import Foundation
import ImpastoModels
import Testing
import _TestSupport

/// Safetensors files as Impasto and other writers make them, then mutated: every input must give
/// a `WeightFileError` or arrays, never a crash.
@Suite("Fuzz: the safetensors reader")
struct FuzzSafetensorsTests {
    /// Float32, Float64 and UInt8 arrays with metadata, from Impasto's own writer.
    static func written() throws -> [UInt8] {
        let url = scratch()
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.write(["conv.weight": WeightArray(shape: [2, 3], [0.5, -1, 2, 0, 1e-3, 7]),
                               "scale": WeightArray(shape: [2], values: .float64([1, 2])),
                               "mask": WeightArray(shape: [4], values: .uint8([0, 1, 2, 255]))],
                              metadata: ["style": "mosaic"], to: url)
        return [UInt8](try Data(contentsOf: url))
    }

    /// F16 and BF16 arrays (which Impasto reads but does not write), header unpadded.
    static let halfPrecision: [UInt8] = {
        let header = #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1,1],"data_offsets":[4,6]}}"#
        return withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init) + Array(header.utf8)
            + [0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F]
    }()

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("impasto-fuzz-\(UUID().uuidString).safetensors")
    }

    private func read(_ bytes: [UInt8], at url: URL) throws -> [String: WeightArray] {
        try Data(bytes).write(to: url)
        return try Safetensors.read(contentsOf: url)
    }

    @Test func theSeedsAreValid() throws {
        let url = Self.scratch()
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try read(try Self.written(), at: url).keys.sorted() == ["conv.weight", "mask", "scale"])
        #expect(try read(Self.halfPrecision, at: url)["h"]?.floats == [1, -2])
    }

    /// Found by the fuzz run: a header length within 8 of Int.max made `8 + length` overflow (a trap).
    @Test(arguments: [UInt64(Int.max), UInt64(Int.max) - 7, UInt64.max])
    func aHeaderLengthNearTheLargestIntegerIsTruncation(_ length: UInt64) throws {
        let url = Self.scratch()
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = withUnsafeBytes(of: length.littleEndian, Array.init) + Array("{}".utf8)
        #expect(throws: WeightFileError.truncated(path: url.path)) { try read(bytes, at: url) }
    }

    @Test func mutatedFilesGiveAWeightFileErrorOrArrays() throws {
        let url = Self.scratch()
        defer { try? FileManager.default.removeItem(at: url) }
        Fuzz.run("safetensors", seeds: [try Self.written(), Self.halfPrecision], inputs: Fuzz.budget(suiteDefault: 2_000),
                 seed: 2, isTyped: { $0 is WeightFileError }) { bytes in
            _ = try read(bytes, at: url)
        }
    }
}
