import Foundation
@testable import ImpastoModels
import Testing

/// Weight files are input from anywhere: shapes and byte ranges that no real file has must be
/// refused with one line, not trap on overflowing arithmetic.
@Suite("Weight files with impossible numbers")
struct LyingWeightFileTests {
    /// A safetensors file holding 16 bytes whose header says `entry`.
    private func safetensors(_ entry: String) throws -> URL {
        let header = Data(#"{"w":\#(entry)}"#.utf8)
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Data($0) }
        bytes.append(header)
        bytes.append(Data(repeating: 0, count: 16))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString).safetensors")
        try bytes.write(to: url)
        return url
    }

    @Test(arguments: [
        #"{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,16]}"#,
        #"{"dtype":"F32","shape":[-4,-1],"data_offsets":[0,16]}"#,
        #"{"dtype":"F32","shape":[4],"data_offsets":[9223372036854775807,9223372036854775807]}"#,
        #"{"dtype":"F32","shape":[4],"data_offsets":[-8,16]}"#,
    ])
    func impossibleShapesAndRangesAreRefused(_ entry: String) throws {
        let url = try safetensors(entry)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: WeightFileError.self) { try Safetensors.read(contentsOf: url) }
    }

    @Test func theCheckedCountMultipliesOrGivesUp() {
        #expect(elementCount([2, 3, 4]) == 24)
        #expect(elementCount([]) == 1)
        #expect(elementCount([1 << 32, 1 << 32]) == nil)
        #expect(elementCount([3, -1]) == nil)
    }
}
