import Foundation
import ImpastoStyle

/// `--log`: one JSON object per step.
final class StepLog {
    private let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
        else { throw CommandError("--log \(path): cannot create the file") }
        self.handle = handle
    }

    func write(_ progress: StylizeProgress) throws {
        let r = progress.report
        let line = String(format: "{\"step\":%d,\"loss\":%.9g,\"content\":%.9g,\"style\":%.9g,\"tv\":%.9g,\"elapsed\":%.4f}\n",
                          progress.step, r.total, r.content, r.style, r.totalVariation, progress.elapsed.seconds)
        try handle.write(contentsOf: Data(line.utf8))
    }

    deinit { try? handle.close() }
}
