import Foundation
import Testing
import _TestSupport

/// A settings file is input from anywhere: ten lines of nested YAML aliases used to expand to
/// gigabytes before any key was checked.
@Suite("--config refuses expansion bombs")
struct ConfigFileLimitsTests {
    @Test func nestedAliasesAreRefusedAtOnceWithOneLine() throws {
        let folder = try scratchFolder()
        let bomb = folder.appendingPathComponent("bomb.yaml")
        var lines = [#"inputs: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]"#]
        for level in 1...8 {
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        try lines.joined(separator: "\n").write(to: bomb, atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let result = try CLI.run(["apply", "--config", bomb.path, "-o", folder.appendingPathComponent("out.png").path])
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(result.status != 0)
        #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines)
            == "Error: --config \(bomb.path): too large (more than 10000 values)")
    }
}
