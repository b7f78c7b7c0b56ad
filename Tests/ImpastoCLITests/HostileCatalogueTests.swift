import Foundation
import Synchronization
import Testing
import _TestSupport

/// The catalogue of hostile inputs, each run through the real `impasto` binary as a careless or
/// hostile user would: every case must end with its expected exit status and one line saying
/// what is wrong (naming the file or flag), never by a signal, within its time limit and 1 GB of
/// memory, with every input byte for byte as it was and no file left behind but the outputs the
/// case promises.
@Suite("Hostile inputs: the catalogue")
struct HostileCatalogueTests {
    /// One hostile case: the files to make, the arguments (`{name}` becomes that file's path),
    /// what must happen, and the outputs it may leave.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var files: @Sendable (URL) throws -> [String: Data]
        var arguments: [String]
        var status: Int32 = 1
        var message: String
        var outputs: Set<String> = []
        var testDescription: String { name }
    }

    static let memoryLimitBytes = 1 << 30
    static let timeLimitSeconds = 60.0

    static let photo: @Sendable (URL) throws -> [String: Data] = { _ in
        ["photo.png": try Data(contentsOf: try Fixtures.tinyContent), "painting.png": try Data(contentsOf: try Fixtures.tinyStyle)]
    }

    static func withModel(_ more: @escaping @Sendable (URL) throws -> [String: Data]) -> @Sendable (URL) throws -> [String: Data] {
        { folder in try more(folder).merging(["model.safetensors": try Self.model()]) { $1 } }
    }

    /// A small fast-style model, imported once from the PyTorch fixture.
    static func model() throws -> Data {
        try modelBytes.withLock { bytes in
            if let bytes { return bytes }
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let made = try Data(contentsOf: try FastStyleCommandTests.importedModel(in: folder))
            bytes = made
            return made
        }
    }
    private static let modelBytes = Mutex<Data?>(nil)

    static let cases: [Case] = [
        Case(name: "JPEG header claiming 65500×65500", files: { ["bomb.jpg": try HostileInputs.jpegClaimingGigapixels(in: $0)] },
             arguments: ["stylize", "{bomb.jpg}", "{bomb.jpg}", "-o", "{out.png}"],
             message: "bomb.jpg: 65500×65500 is more than the 250 megapixels Impasto decodes"),
        Case(name: "PNG header claiming 100000×100000",
             files: withModel { _ in ["bomb.png": HostileInputs.pngClaiming(width: 100_000, height: 100_000)] },
             arguments: ["apply", "--model", "{model.safetensors}", "{bomb.png}", "-o", "{out.png}"],
             message: "bomb.png: 100000×100000 is more than the 250 megapixels"),
        Case(name: "text under an image's name", files: withModel { _ in ["notes.jpg": Data("hello".utf8)] },
             arguments: ["apply", "--model", "{model.safetensors}", "{notes.jpg}", "-o", "{out.png}"],
             message: "notes.jpg: not an image Impasto can read"),
        Case(name: "empty file", files: { _ in ["empty.png": Data()] },
             arguments: ["stylize", "{empty.png}", "{empty.png}", "-o", "{out.png}"], message: "empty.png: not an image"),
        Case(name: "photo cut short", files: withModel { _ in
                 ["cut.png": try Data(contentsOf: try Fixtures.tinyContent).prefix(300)] },
             arguments: ["apply", "--model", "{model.safetensors}", "{cut.png}", "-o", "{out.png}"], message: "cut.png: "),
        Case(name: "YAML aliases nested nine deep", files: { _ in ["bomb.yaml": HostileInputs.yamlAliasBomb] },
             arguments: ["apply", "--config", "{bomb.yaml}", "-o", "{out.png}"],
             message: "--config {bomb.yaml}: too large (more than 10000 values)"),
        Case(name: "JSON nested 100000 deep", files: { folder in try photo(folder).merging(["deep.json": HostileInputs.jsonNested(100_000)]) { $1 } },
             arguments: ["stylize", "{photo.png}", "{painting.png}", "-o", "{out.png}", "--config", "{deep.json}"],
             message: "--config {deep.json}: not valid JSON: Too many nested arrays or dictionaries"),
        Case(name: "pickle nested 200000 deep", files: { _ in ["deep.pth": HostileInputs.pickleNested(200_000)] },
             arguments: ["import-model", "{deep.pth}", "-o", "{out.safetensors}"],
             message: "deep.pth: not a weight file Impasto can read (malformed pickle at byte 201001: containers nested deeper than 1000 levels)"),
        Case(name: "safetensors shape whose product overflows", files: { folder in try photo(folder).merging(["huge.safetensors": HostileInputs.safetensors(
                 header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}}"#)]) { $1 } },
             arguments: ["apply", "--model", "{huge.safetensors}", "{photo.png}", "-o", "{out.png}"],
             message: "huge.safetensors: not a weight file Impasto can read (w has the impossible shape [4294967296, 4294967296, 16])"),
        Case(name: "safetensors header length of 2⁶⁰", files: { folder in
                 try photo(folder).merging(["long.safetensors": HostileInputs.safetensorsWithLyingLength]) { $1 } },
             arguments: ["apply", "--model", "{long.safetensors}", "{photo.png}", "-o", "{out.png}"],
             message: "long.safetensors: the file is damaged or not a weight file"),
        Case(name: "model holding NaN", files: { folder in
                 try photo(folder).merging(["nan.safetensors": try HostileInputs.withNaN(try model())]) { $1 } },
             arguments: ["apply", "--model", "{nan.safetensors}", "{photo.png}", "-o", "{out.png}"],
             message: "are not finite numbers"),
        Case(name: "damaged checkpoint to resume", files: { folder in try photo(folder).merging(["run.ckpt": Data(repeating: 7, count: 64)]) { $1 } },
             arguments: ["stylize", "{photo.png}", "{painting.png}", "-o", "{out.png}", "--resume", "{run.ckpt}"],
             message: "--resume {run.ckpt}: not a stylize checkpoint"),
        Case(name: "1×1 photo", files: withModel { folder in ["dot.png": try HostileInputs.png(side: 1, in: folder)] },
             arguments: ["apply", "--model", "{model.safetensors}", "{dot.png}", "-o", "{out.png}"],
             status: 0, message: "", outputs: ["out.png", "out.png.json"]),
        Case(name: "4×4 photo", files: withModel { folder in ["four.png": try HostileInputs.png(side: 4, in: folder)] },
             arguments: ["apply", "--model", "{model.safetensors}", "{four.png}", "-o", "{out.png}"],
             status: 0, message: "", outputs: ["out.png", "out.png.json"]),
        Case(name: "the output is the photo", files: photo,
             arguments: ["stylize", "{photo.png}", "{painting.png}", "-o", "{photo.png}"],
             message: "--output {photo.png}: is one of the inputs; Impasto never overwrites an input"),
        Case(name: "the output folder inside the input folder", files: withModel { _ in
                 ["nest/a.png": try Data(contentsOf: try Fixtures.tinyContent), "nest/b.png": try Data(contentsOf: try Fixtures.tinyStyle)] },
             arguments: ["apply", "--model", "{model.safetensors}", "{nest}", "-o", "{nest/styled}"],
             status: 0, message: "", outputs: ["nest/styled/nest/a.png", "nest/styled/nest/b.png", "nest/styled.json"]),
        Case(name: "a folder as the photo", files: { _ in [:] },
             arguments: ["stylize", "{.}", "{.}", "-o", "{out.png}"], message: "a folder, not an image file"),
        Case(name: "negative size", files: photo,
             arguments: ["stylize", "{photo.png}", "{painting.png}", "-o", "{out.png}", "--max-dim", "-5"],
             status: 64, message: "--max-dim must be at least 16 pixels, not -5"),
        Case(name: "a batch of no photos", files: photo,
             arguments: ["train", "{painting.png}", "--dataset", "{.}", "-o", "{out.safetensors}", "--batch-size", "0"],
             message: "--batch-size must be at least 1"),
        Case(name: "a PyTorch file as the model", files: { folder in
                 try photo(folder).merging(["net.pth": try Data(contentsOf: FastStyleCommandTests.pytorchFixture)]) { $1 } },
             arguments: ["apply", "--model", "{net.pth}", "{photo.png}", "-o", "{out.png}"],
             message: "net.pth: not a weight file Impasto can read (a PyTorch file, not an Impasto model"),
    ]

    @Test(arguments: cases)
    func endsWithItsMessageWithinLimitsLosingNothing(_ hostile: Case) throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, bytes) in try hostile.files(folder) {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url)
        }
        let before = try Self.contents(of: folder)
        func expand(_ text: String) -> String {
            text.replacing(/\{([^}]+)\}/) { match in
                match.1 == "." ? folder.path : folder.appendingPathComponent(String(match.1)).path
            }
        }
        let outcome = try MeasuredProcess.impasto(hostile.arguments.map(expand), timeLimit: Self.timeLimitSeconds)

        #expect(!outcome.timedOut, "still running after \(Self.timeLimitSeconds) s")
        #expect(outcome.signal == nil, "ended by signal \(outcome.signal ?? 0): \(outcome.errors)")
        #expect(outcome.status == hostile.status, "\(outcome.errors)")
        #expect(outcome.peakBytes < Self.memoryLimitBytes, "peak \(outcome.peakBytes >> 20) MiB")
        let lines = outcome.errors.split(separator: "\n").filter { !$0.hasPrefix("warning: ") }
        if hostile.status != 0 {
            #expect(lines.count == 1, "not one line: \(outcome.errors)")
            #expect(outcome.errors.contains(expand(hostile.message)), "\(outcome.errors)")
            #expect(!outcome.errors.contains("NSCocoaErrorDomain"), "\(outcome.errors)")
        }
        let after = try Self.contents(of: folder)
        for (name, bytes) in before { #expect(after[name] == bytes, "input \(name) changed or removed") }
        #expect(Set(after.keys).subtracting(before.keys) == hostile.outputs, "left behind")
    }

    /// Every file under `folder` (names relative to it, hidden ones included) and its bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder.path) {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                files[name] = try Data(contentsOf: url)
            }
        }
        return files
    }
}
