import Foundation

/// The facts about this machine that decide how much memory a run takes and may take.
public struct MachineMemory: Sendable, Equatable {
    /// Memory the kernel says new work can have without swapping (`MemAvailable`), in bytes.
    public var available: Int
    /// Physical memory, in bytes: ImpastoCore's buffer pool keeps up to a sixth of it.
    public var physical: Int
    /// The per-core level-2 cache, in bytes: oneDNN's Winograd convolutions pick their schedule
    /// (and so their scratchpad) by what fits in it.
    public var level2Cache: Int
    /// Threads oneDNN runs on (one per core it is given).
    public var threads: Int

    public init(available: Int, physical: Int, level2Cache: Int = 1 << 20, threads: Int = 1) {
        self.available = available
        self.physical = physical
        self.level2Cache = level2Cache
        self.threads = threads
    }

    /// This machine, read from `/proc/meminfo` and sysfs; where those are missing (not Linux),
    /// the physical memory stands for what is available.
    public static var current: MachineMemory {
        let physical = Int(ProcessInfo.processInfo.physicalMemory)
        let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let cache = try? String(contentsOfFile: "/sys/devices/system/cpu/cpu0/cache/index2/size", encoding: .utf8)
        return MachineMemory(available: meminfo.flatMap(availableBytes(inMeminfo:)) ?? physical, physical: physical,
                             level2Cache: cache.flatMap(cacheBytes(_:)) ?? 1 << 20,
                             threads: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The budget a run gets when `--max-memory` is not given: what is available less a margin
    /// (a tenth, at least 512 MiB) for the rest of the system, which the estimate does not see.
    public var defaultBudget: MemorySize {
        MemorySize(bytes: max(available - max(available / 10, 512 << 20), 0))
    }

    /// ImpastoCore's `BufferPool.shared` capacity: min(4 GiB, a sixth of physical memory).
    var bufferPoolCapacity: Int { min(4 << 30, physical / 6) }

    /// `MemAvailable` from the text of `/proc/meminfo`, in bytes.
    static func availableBytes(inMeminfo text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }) else { return nil }
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let kibibytes = Int(fields[1]) else { return nil }
        return kibibytes * 1024
    }

    /// sysfs cache sizes read `1024K` or `2M`.
    static func cacheBytes(_ text: String) -> Int? {
        try? MemorySize(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines)).bytes
    }
}
