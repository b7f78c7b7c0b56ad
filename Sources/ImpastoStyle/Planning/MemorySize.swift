import Foundation

/// An amount of memory in bytes, written and read the way `--max-memory` takes it: a number with
/// an optional binary unit, `800M`, `12G`, `1.5G`, `64K`, `2T` (K = 1024 bytes; a trailing `B` or
/// `iB` is accepted, so `12GiB` and `12GB` are the same), or plain bytes.
public struct MemorySize: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    private static let units: [(suffix: Character, shift: Int)] = [("K", 10), ("M", 20), ("G", 30), ("T", 40)]

    /// Parses `text`; throws `MemorySizeError.notASize` for anything that is not a positive amount.
    public init(parsing text: String) throws(MemorySizeError) {
        var number = Substring(text.trimmingCharacters(in: .whitespaces)).uppercased()[...]
        for suffix in ["IB", "B"] where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            break
        }
        var shift = 0
        if let last = number.last, let unit = Self.units.first(where: { $0.suffix == last }) {
            shift = unit.shift
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value > 0,
              value * Double(1 << shift) < Double(Int.max / 2) else { throw .notASize(text) }
        bytes = Int((value * Double(1 << shift)).rounded(.down))
        guard bytes > 0 else { throw .notASize(text) }
    }

    public static func < (a: MemorySize, b: MemorySize) -> Bool { a.bytes < b.bytes }

    /// `14.2 GiB`, `812 MiB`: three significant figures at most, in the largest unit that keeps
    /// the number at least 1.
    public var description: String {
        let names = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < names.count - 1 {
            value /= 1024
            index += 1
        }
        if index == 0 { return "\(bytes) bytes" }
        return String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, names[index])
    }
}

/// Why a memory size could not be read.
public enum MemorySizeError: Error, Equatable, CustomStringConvertible {
    case notASize(String)

    public var description: String {
        switch self {
        case .notASize(let text): "'\(text)' is not an amount of memory; give a number with K, M, G or T, such as 800M or 12G"
        }
    }
}
