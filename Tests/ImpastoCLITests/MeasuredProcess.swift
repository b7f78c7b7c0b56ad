import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with `posix_spawn` and measures its peak resident memory from the kernel's
/// high-water mark of its own address space (`VmHWM` in /proc/PID/status), read every few
/// milliseconds until it exits. Not `wait4`'s `ru_maxrss`: glibc spawns with a shared address
/// space, and Linux carries the parent's peak into the child's at exec, so in a test process
/// holding a gigabyte every child seemed to hold one too. A rise in the last milliseconds before
/// exit can be missed. A run past its time limit is killed.
struct MeasuredProcess {
    struct Outcome {
        /// The exit status, or 128 + the signal that ended the process, as a shell reports it.
        var status: Int32
        /// The signal that ended the process, if one did.
        var signal: Int32?
        /// The most memory it held: its peak resident set.
        var peakBytes: Int
        var seconds: Double
        var timedOut: Bool
        var errors: String
    }

    /// Runs `impasto` with `arguments`.
    static func impasto(_ arguments: [String], timeLimit: Double = 600) throws -> Outcome {
        try run(CLI.binary, arguments, timeLimit: timeLimit)
    }

    static func run(_ executable: URL, _ arguments: [String], timeLimit: Double) throws -> Outcome {
        let errorsFile = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-errors-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: errorsFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorsFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }

        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        var peakBytes = 0
        while wait4(pid, &status, WNOHANG, &usage) == 0 {
            peakBytes = max(peakBytes, Self.highWaterMark(of: pid) ?? 0)
            if (ContinuousClock.now - started) > .milliseconds(Int(timeLimit * 1000)) {
                timedOut = true
                kill(pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                break
            }
            usleep(2_000)
        }
        let elapsed = ContinuousClock.now - started
        let signal = status & 0x7F
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, signal: signal == 0 ? nil : signal,
                       peakBytes: peakBytes,
                       seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                       timedOut: timedOut, errors: (try? String(contentsOf: errorsFile, encoding: .utf8)) ?? "")
    }

    /// The process's peak resident memory so far, in bytes (nil once it has exited).
    static func highWaterMark(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") else {
            return nil
        }
        return kilobytes * 1024
    }
}
