import Foundation
import ImpastoCore
import ImpastoModels
import Testing

/// Test data committed in `Tests/Fixtures` (provenance in its README), so that the suite needs
/// nothing beside the repository.
public enum Fixtures {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `path` inside `Tests/Fixtures`; a missing file is a broken checkout, so the test fails
    /// naming it.
    public static func file(_ path: String) throws -> URL {
        let url = root.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw MissingFixture(path: url.path) }
        return url
    }

    /// The 64×48 crops of the benchmark photo and painting.
    public static var tinyContent: URL { get throws { try file("images/tiny/chelsea-cat-64x48.png") } }
    public static var tinyStyle: URL { get throws { try file("images/tiny/starry-night-64x48.png") } }

    public struct MissingFixture: Error, CustomStringConvertible {
        var path: String
        public var description: String { "\(path) is missing from the checkout" }
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
