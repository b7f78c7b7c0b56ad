import Foundation
import Testing
import _TestSupport

/// Signals to `impasto video` as a terminal and a scheduler send them, with its ffmpeg processes
/// watched: they must never outlive it, and no partial video may be left.
@Suite("impasto video: Ctrl-C and its ffmpeg processes")
struct VideoInterruptTests {
    /// A running `impasto video` of a 20-second clip, its standard error in a file.
    final class Run {
        let folder: URL
        let output: URL
        let process = Process()
        private let errors: URL

        init() throws {
            folder = try scratchFolder()
            let model = try FastStyleCommandTests.importedModel(in: folder)
            let clip = folder.appendingPathComponent("long.mp4")
            try FastStyleCommandTests.write(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=30",
                                             "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                                             clip.path])
            output = folder.appendingPathComponent("styled.mp4")
            errors = folder.appendingPathComponent("errors.txt")
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.executableURL = CLI.binary
            process.arguments = ["video", "--model", model.path, clip.path, "-o", output.path]
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
        }

        var errorText: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

        /// Waits until `text` appears on standard error (the run is then decoding and encoding).
        func wait(for text: String) {
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, Date() < deadline, !errorText.contains(text) { Thread.sleep(forTimeInterval: 0.02) }
        }

        /// The processes Impasto has started, from every thread's `children` list.
        var children: [pid_t] {
            let tasks = "/proc/\(process.processIdentifier)/task"
            let threads = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
            return threads.flatMap { thread in
                ((try? String(contentsOfFile: "\(tasks)/\(thread)/children", encoding: .utf8)) ?? "")
                    .split(separator: " ").compactMap { pid_t($0) }
            }
        }

        /// The names in the output folder beginning with a dot (temporary and partial files).
        var hiddenFiles: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix(".") }
        }
    }

    /// Alive and not a zombie waiting for a parent to reap it.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let state = stat.split(separator: ")").last?.split(separator: " ").first else { return false }
        return state != "Z" && state != "X"
    }

    /// A terminal sends Ctrl-C to the whole foreground process group: the ffmpeg processes are
    /// in groups of their own, so Impasto alone hears it and stops them itself.
    @Test func aTerminalCtrlCReachesImpastoAlone() throws {
        let run = try Run()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        run.wait(for: "frame 25")
        let pid = run.process.processIdentifier
        try #require(getpgid(pid) == pid, "impasto must lead its own group, or the signal would reach the tests")
        let children = run.children
        #expect(children.count == 2, "a decoder and an encoder")
        for child in children { #expect(getpgid(child) != pid, "ffmpeg \(child) is in Impasto's process group") }
        kill(-pid, SIGINT)
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 130)
        #expect(run.errorText.hasSuffix("; \(run.output.path) not written\n"), "\(run.errorText)")
        #expect(!children.contains(where: Self.isRunning))
        #expect(run.hiddenFiles.isEmpty && !FileManager.default.fileExists(atPath: run.output.path))
    }

    /// Ctrl-C and then SIGTERM before the run has stopped: it ends at once, and its ffmpeg
    /// processes and their partial video with it (they used to run on and leave the file).
    @Test func aSecondSignalEndsImpastoAndItsFFmpegAtOnce() throws {
        let run = try Run()
        defer { try? FileManager.default.removeItem(at: run.folder) }
        run.wait(for: "frame 25")
        let children = run.children
        #expect(children.count == 2, "a decoder and an encoder")
        kill(run.process.processIdentifier, SIGINT)
        kill(run.process.processIdentifier, SIGTERM)
        run.process.waitUntilExit()
        // Whichever of the two is handled second ends it.
        #expect(run.process.terminationReason == .uncaughtSignal, "\(run.errorText)")
        #expect([SIGINT, SIGTERM].contains(run.process.terminationStatus))
        let deadline = Date().addingTimeInterval(5)
        while children.contains(where: Self.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!children.contains(where: Self.isRunning), "ffmpeg outlived Impasto")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(run.hiddenFiles.isEmpty, "left behind: \(run.hiddenFiles)")
    }
}
