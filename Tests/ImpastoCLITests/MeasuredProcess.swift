import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program as `posix_spawn` does and waits for it with `wait4`, which reports the child's
/// own peak resident memory — `Process` waits with `waitpid` and loses it, and the test process's
/// `RUSAGE_CHILDREN` mixes every test's children. A run past its time limit is killed.
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
        while wait4(pid, &status, WNOHANG, &usage) == 0 {
            if (ContinuousClock.now - started) > .milliseconds(Int(timeLimit * 1000)) {
                timedOut = true
                kill(pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                break
            }
            usleep(10_000)
        }
        let elapsed = ContinuousClock.now - started
        let signal = status & 0x7F
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, signal: signal == 0 ? nil : signal,
                       peakBytes: usage.ru_maxrss * 1024,
                       seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                       timedOut: timedOut, errors: (try? String(contentsOf: errorsFile, encoding: .utf8)) ?? "")
    }
}
