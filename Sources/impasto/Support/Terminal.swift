import Foundation

/// Where progress goes: standard error, so that standard output stays clean for results.
enum Terminal {
    /// Whether standard error is a terminal (live bars) or a pipe or file (plain lines).
    static let isInteractive = isatty(STDERR_FILENO) == 1

    static func status(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Rewrites the current terminal line.
    static func overwrite(_ line: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }
}
