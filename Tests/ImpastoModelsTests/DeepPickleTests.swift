import ImpastoModels
import Testing

/// A few hundred kilobytes of nested lists used to overflow the stack (SIGSEGV) once read.
@Suite("Deeply nested pickles")
struct DeepPickleTests {
    /// Protocol 2: `levels` empty lists, each appended into the one below, then STOP.
    private func nestedLists(_ levels: Int) -> [UInt8] {
        [0x80, 0x02] + [UInt8](repeating: UInt8(ascii: "]"), count: levels)
            + [UInt8](repeating: UInt8(ascii: "a"), count: levels - 1) + [UInt8(ascii: ".")]
    }

    @Test func nestingPastTheLimitIsRefusedWithOneLine() {
        var reader = PickleReader(bytes: nestedLists(200_000))
        #expect {
            try reader.readRecord()
        } throws: { error in
            "\(error)".contains("nested deeper than 1000 levels")
        }
    }

    @Test func ordinaryNestingStillReads() throws {
        var reader = PickleReader(bytes: nestedLists(50))
        var value = try reader.readRecord()
        var depth = 1
        while case .list(let items) = value, let inner = items.first {
            value = inner
            depth += 1
        }
        #expect(depth == 50)
    }
}
