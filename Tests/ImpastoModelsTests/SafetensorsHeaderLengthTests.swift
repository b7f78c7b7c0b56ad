import Foundation
@testable import ImpastoModels
import Testing

/// A safetensors file begins with its header's length; when that length's low byte is 0x80 the
/// file used to be taken for a legacy PyTorch pickle (which begins with 0x80) and refused, so one
/// model in 256 that `impasto train` wrote could not be loaded.
@Suite("Safetensors files are told from PyTorch pickles")
struct SafetensorsHeaderLengthTests {
    static func scratch(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString)-\(name)")
    }

    @Test func aHeaderWhoseLengthStartsWith0x80IsSafetensors() throws {
        let url = Self.scratch("model.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        // Pad the metadata until the little-endian header length's first byte is 0x80.
        for padding in 0..<256 {
            try Safetensors.write(["w": WeightArray(shape: [1], [0.5])], metadata: ["pad": String(repeating: "x", count: padding)], to: url)
            if try Data(contentsOf: url).first == 0x80 { break }
        }
        #expect(try Data(contentsOf: url).first == 0x80)
        #expect(try !StyleModel.isPyTorchFile(url))
        #expect(try Safetensors.readFile(contentsOf: url).arrays["w"]?.floats == [0.5])
    }

    @Test func picklesAndZipsAreStillPyTorch() throws {
        for (name, bytes) in [("legacy.pth", [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20]),
                              ("zip.pth", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0])] {
            let url = Self.scratch(name)
            defer { try? FileManager.default.removeItem(at: url) }
            try Data(bytes.map(UInt8.init)).write(to: url)
            #expect(try StyleModel.isPyTorchFile(url), "\(name)")
        }
    }
}
