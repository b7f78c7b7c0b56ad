import Foundation
import Testing

/// `video --temporal` and `--temporal-strength` are checked before anything is read, with an error naming the flag.
@Suite("impasto video --temporal")
struct VideoTemporalCommandTests {
    @Test(arguments: [(["--temporal", "blend", "--temporal-strength", "1.5"], "--temporal-strength must be in 0…1"),
                      (["--temporal", "blend", "--temporal-strength", "nan"], "--temporal-strength must be in 0…1"),
                      (["--temporal-strength", "0.5"], "--temporal-strength needs --temporal blend"),
                      (["--temporal", "sideways"], "--temporal")])
    func badTemporalFlagsAreRefused(_ flags: [String], message: String) throws {
        let result = try CLI.run(["video", "--builtin", "3", "clip.mp4", "-o", "out.mp4"] + flags)
        #expect(result.status != 0)
        #expect(result.errors.contains(message), "\(result.errors)")
    }
}
