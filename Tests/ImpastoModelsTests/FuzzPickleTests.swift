import Foundation
import ImpastoModels
import Testing
import _TestSupport

/// Pickle records as PyTorch writes them, built opcode by opcode, then mutated: every input must
/// give a `PickleError` or a value, never a crash.
@Suite("Fuzz: the pickle reader")
struct FuzzPickleTests {
    /// `collections.OrderedDict` of two tensors, as `torch.save` writes a state dict: globals,
    /// memo puts and gets, persistent ids, tuples of each size, BUILD.
    static let stateDictionary: [UInt8] = {
        var bytes: [UInt8] = [0x80, 2]
        bytes += global("collections", "OrderedDict") + memo(0)
        bytes += ascii(")R") + memo(1) + ascii("(")
        bytes += unicode("conv.weight") + global("torch._utils", "_rebuild_tensor_v2") + memo(3) + ascii("(")
        bytes += storage(key: "0", count: 4) + ascii("K") + [0] + ascii("K") + [2] + ascii("K") + [2, 0x86]
        bytes += ascii("K") + [2] + ascii("K") + [1, 0x86, 0x89] + get(0) + ascii(")Rt") + ascii("R")
        bytes += unicode("conv.bias") + get(3) + ascii("(") + storage(key: "1", count: 2)
        bytes += ascii("K") + [0] + ascii("K") + [2, 0x85] + ascii("K") + [1, 0x85, 0x89] + get(0)
        bytes += ascii(")RtR")
        return bytes + ascii("u}b.")
    }()

    /// A list of every scalar opcode the reader knows: BININT, BININT2, LONG1 (narrow and wide),
    /// BINFLOAT, SHORT_BINUNICODE, None, True, and a nested list appended one item at a time.
    static let scalars: [UInt8] = {
        var bytes: [UInt8] = [0x80, 2] + ascii("]") + memo(0) + ascii("(")
        bytes += ascii("J") + [0xFF, 0xFF, 0xFF, 0x7F] + ascii("M") + [0x34, 0x12]
        bytes += [0x8A, 2, 0x00, 0x80] + [0x8A, 9] + [UInt8](repeating: 0x11, count: 9)
        bytes += ascii("G") + [0x3F, 0xF8, 0, 0, 0, 0, 0, 0] + [0x8C, 3] + ascii("abc") + ascii("N") + [0x88]
        bytes += ascii("]") + ascii("K") + [7] + ascii("a") + get(0) + [0x87]
        return bytes + ascii("e.")
    }()

    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func memo(_ index: UInt8) -> [UInt8] { [UInt8(ascii: "q"), index] }
    static func get(_ index: UInt8) -> [UInt8] { [UInt8(ascii: "h"), index] }
    static func global(_ module: String, _ name: String) -> [UInt8] { ascii("c\(module)\n\(name)\n") }
    static func unicode(_ text: String) -> [UInt8] {
        ascii("X") + withUnsafeBytes(of: UInt32(text.utf8.count).littleEndian, Array.init) + ascii(text)
    }
    static func storage(key: String, count: UInt8) -> [UInt8] {
        ascii("(") + unicode("storage") + global("torch", "FloatStorage") + unicode(key) + unicode("cpu")
            + ascii("K") + [count] + ascii("tQ")
    }

    @Test func theSeedsAreValid() throws {
        var reader = PickleReader(bytes: Self.stateDictionary)
        guard case .dictionary(let entries) = try reader.readRecord() else { Issue.record("not a dictionary"); return }
        #expect(entries.map(\.key) == [.string("conv.weight"), .string("conv.bias")])
        var scalars = PickleReader(bytes: Self.scalars)
        guard case .list(let items) = try scalars.readRecord() else { Issue.record("not a list"); return }
        #expect(items.count == 8)
    }

    @Test func mutatedRecordsGiveAPickleErrorOrAValue() {
        Fuzz.run("pickle", seeds: [Self.stateDictionary, Self.scalars], inputs: Fuzz.budget(suiteDefault: 20_000), seed: 1,
                 isTyped: { $0 is PickleError }) { bytes in
            var reader = PickleReader(bytes: bytes)
            _ = try reader.readRecord()
        }
    }
}
