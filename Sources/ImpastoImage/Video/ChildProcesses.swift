import Foundation

/// The ffmpeg processes running and the files they write, kept where a signal handler can reach
/// them. Each runs in a process group of its own (Foundation's `Process` puts every child in
/// one), so a terminal's Ctrl-C reaches Impasto alone, which stops them between frames; but when
/// Impasto must end at once (a second Ctrl-C) nothing else would stop them, and they used to run
/// on and leave their half-written file. `stopAll` kills them and removes the files.
public enum ChildProcesses {
    private static let capacity = 8
    /// Process ids, 0 for a free slot, and the file each writes (nil for none), as C strings
    /// allocated when registered, so that `stopAll` reads them without allocating.
    nonisolated(unsafe) private static let pids: UnsafeMutablePointer<pid_t> = {
        let pids = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
        pids.initialize(repeating: 0, count: capacity)
        return pids
    }()
    nonisolated(unsafe) private static let files: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let files = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        files.initialize(repeating: nil, count: capacity)
        return files
    }()
    private static let lock = NSLock()

    /// Allocates the table, so that a signal handler calling `stopAll` never has to: call it
    /// before installing one.
    public static func prepare() {
        _ = (pids, files)
    }

    /// Records a started process and the file it writes; returns its slot (nil when full: the
    /// process is then only stopped the usual way).
    static func register(_ pid: pid_t, writing file: String?) -> Int? {
        lock.withLock {
            guard let slot = (0..<capacity).first(where: { pids[$0] == 0 }) else { return nil }
            files[slot] = file.map { strdup($0) }
            pids[slot] = pid
            return slot
        }
    }

    /// Forgets a process that has ended (its id may be reused) or whose file is complete.
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock {
            pids[slot] = 0
            let file = files[slot]
            files[slot] = nil
            free(file)
        }
    }

    /// Kills every registered process and removes the files they were writing. Calls only
    /// kill(2) and unlink(2), which are safe in a signal handler.
    public static func stopAll() {
        for slot in 0..<capacity where pids[slot] != 0 {
            kill(pids[slot], SIGKILL)
            if let file = files[slot] { unlink(file) }
        }
    }
}
