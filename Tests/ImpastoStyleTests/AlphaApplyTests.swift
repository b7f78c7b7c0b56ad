import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing

/// A small random network: `apply`'s path without the cost of a trained one.
func tinyStylizer() -> FastStylizer {
    FastStylizer(model: StyleModel(network: TransformerNet(seed: 3, baseChannels: 8),
                                   metadata: .init(baseChannels: 8, scaling: .unit, style: "random")))
}

func scratchFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// `impasto apply` on a transparent photo used to write it opaque, flattened onto white.
@Suite("apply keeps a photo's transparency")
struct AlphaApplyTests {
    static let (width, height) = (12, 8)
    static let alpha = Tensor(shape: Shape(1, 1, height, width),
                              scalars: (0..<width * height).map { Float(($0 * 37) % 256) / 255 })

    /// A transparent PNG (the alpha's round trip through the writer is checked in `AlphaChannelTests`).
    private func transparentPhoto(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("photo.png")
        let colour = Tensor(shape: Shape(1, 3, Self.height, Self.width),
                            scalars: (0..<3 * Self.width * Self.height).map { Float($0 % 11) / 10 })
        try ImageFile.save(colour, alpha: Self.alpha, to: url)
        return url
    }

    private func events(_ input: URL, to output: URL) throws -> [ApplyEvent] {
        var events: [ApplyEvent] = []
        try ApplyRun(stylizer: tinyStylizer(), jobs: [ApplyJob(source: .file(input), destination: output)]).run { events.append($0) }
        return events
    }

    @Test(arguments: ["png", "webp", "tif"])
    func theAlphaComesOutEqual(_ ext: String) throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.\(ext)")
        let events = try events(try transparentPhoto(in: folder), to: output)
        #expect(!events.contains { if case .warning = $0 { true } else { false } })
        let result = try ImageFile.loadWithAlpha(output)
        #expect(result.alpha?.scalars == Self.alpha.scalars)
    }

    @Test func aJPEGResultWarnsThatTheTransparencyIsDropped() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try transparentPhoto(in: folder)
        let events = try events(input, to: folder.appendingPathComponent("out.jpg"))
        let warnings = events.compactMap { event -> String? in
            guard case .warning(_, _, let source, let warning) = event else { return nil }
            return "\(source): \(warning)"
        }
        #expect(warnings == ["\(input.path): transparency dropped: JPG cannot hold it (write .png, .webp or .tif to keep it)"])
        #expect(try ImageFile.loadWithAlpha(folder.appendingPathComponent("out.jpg")).alpha == nil)
    }
}
