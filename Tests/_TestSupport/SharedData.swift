import Foundation
import ImpastoCore
import ImpastoModels
import Testing

/// Test data that lives outside the repository, in `../shared` beside it (or `$IMPASTO_SHARED`).
///
/// Tests that need it fail with a message saying so. To run without it, skip them:
/// `swift test --skip Golden --skip Tiny`.
public enum SharedData {
    public static var root: URL {
        if let path = ProcessInfo.processInfo.environment["IMPASTO_SHARED"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// `path` inside the shared folder, or a thrown error naming what is missing and how to skip.
    public static func file(_ path: String) throws -> URL {
        let url = root.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingSharedData(path: url.path)
        }
        return url
    }

    public struct MissingSharedData: Error, CustomStringConvertible {
        var path: String
        public var description: String {
            "\(path) is missing: put the shared data beside the repository or set IMPASTO_SHARED; "
                + "to run without it: swift test --skip Golden --skip Tiny"
        }
    }
}

/// The real VGG19 weights, fetched into the cache on first use and loaded once per test process.
/// If they cannot be had the test fails with the reason; it is never skipped.
public enum TestWeights {
    private static let loaded: Result<VGG19, any Error> = Result {
        let path = try WeightsStore().ensure { print($0) }
        return try VGG19.load(contentsOf: path)
    }

    public static func vgg19() throws -> VGG19 { try loaded.get() }
}
