import Foundation
import ImpastoCore
import Testing

/// The seeded mutation fuzzing the `Fuzz*Tests` suites share: valid files made by the tests,
/// damaged the ways real files and hostile ones are (bit flips, truncation, length fields that
/// lie, splices of one file into another), and fed to a reader that must give a typed error or a
/// valid result. A crash ends the test process, which is the failure this looks for.
public enum Fuzz {
    /// How many mutated inputs each reader gets: `suiteDefault` in the suite (a few seconds), or
    /// `IMPASTO_FUZZ_INPUTS` for a long run outside it.
    public static func budget(suiteDefault: Int) -> Int {
        ProcessInfo.processInfo.environment["IMPASTO_FUZZ_INPUTS"].flatMap(Int.init) ?? suiteDefault
    }

    /// Feeds `inputs` mutations of `seeds` to `read`, each from its own generator (`seed` and the
    /// input's number), so input N can be made again alone. Records an issue for every error that
    /// `isTyped` refuses. With `IMPASTO_FUZZ_KEEP` naming a folder, each input is written there as
    /// `name` before it is read, so the one that crashed the process is left behind.
    public static func run(_ name: String, seeds: [[UInt8]], inputs: Int, seed: UInt64,
                           isTyped: (any Error) -> Bool, read: ([UInt8]) throws -> Void,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let keep = ProcessInfo.processInfo.environment["IMPASTO_FUZZ_KEEP"].map {
            URL(fileURLWithPath: $0).appendingPathComponent(name)
        }
        var untyped = 0
        for index in 0..<inputs {
            var mutator = Mutator(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            let input = mutator.mutated(seeds)
            if let keep { try? Data(input).write(to: keep) }
            do {
                try read(input)
            } catch {
                guard !isTyped(error) else { continue }
                untyped += 1
                if untyped <= 5 { Issue.record("\(name) input \(index): untyped error \(error)", sourceLocation: sourceLocation) }
            }
        }
    }

    /// One to three mutations of one of the seeds.
    public struct Mutator {
        var random: SeededGenerator

        public init(seed: UInt64) { random = SeededGenerator(seed: seed) }

        public mutating func mutated(_ seeds: [[UInt8]]) -> [UInt8] {
            var bytes = seeds.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes = mutation(of: bytes, seeds: seeds)
            }
            return bytes
        }

        private mutating func mutation(of bytes: [UInt8], seeds: [[UInt8]]) -> [UInt8] {
            guard !bytes.isEmpty else { return seeds.randomElement(using: &random)! }
            var bytes = bytes
            let at = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)                       // bit flip
            case 1: bytes.removeSubrange(at...)                                                     // truncation
            case 2: overwrite(&bytes, at: at, with: lyingLength(fileSize: bytes.count))             // a length that lies
            case 3:                                                                                 // splice from a seed
                let donor = seeds.randomElement(using: &random)!
                let start = Int.random(in: 0..<donor.count, using: &random)
                let end = Int.random(in: start...min(donor.count, start + 64), using: &random)
                bytes.insert(contentsOf: donor[start..<end], at: at)
            case 4:                                                                                 // a part repeated
                let end = Int.random(in: at...min(bytes.count, at + 32), using: &random)
                bytes.insert(contentsOf: bytes[at..<end], at: end)
            case 5: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &random)))
            default: bytes[at] = UInt8.random(in: 0...255, using: &random)
            }
            return bytes
        }

        /// A value a length or count field could hold to mislead a reader: zero, one, the file's
        /// own size give or take, the largest signed and unsigned values, in either byte order.
        private mutating func lyingLength(fileSize: Int) -> [UInt8] {
            let candidates: [UInt64] = [0, 1, UInt64(fileSize), UInt64(fileSize) + 1, UInt64(max(0, fileSize - 1)),
                                        0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, .max]
            let value = candidates.randomElement(using: &random)!
            let width = [1, 2, 4, 8].randomElement(using: &random)!
            let littleEndian = (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
            return Bool.random(using: &random) ? littleEndian : littleEndian.reversed()
        }

        private func overwrite(_ bytes: inout [UInt8], at offset: Int, with value: [UInt8]) {
            for (index, byte) in value.enumerated() where offset + index < bytes.count { bytes[offset + index] = byte }
        }
    }
}
