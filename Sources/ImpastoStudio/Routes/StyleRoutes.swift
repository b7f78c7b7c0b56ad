import Foundation
import Hummingbird
import ImpastoImage
import ImpastoModels
import ImpastoStyle

/// The styles the page offers (the 26 built-in ones, shown on a sample photo, and the uploaded
/// paintings), and the instant preview the strength slider asks for.
struct StyleRoutes: Sendable {
    let studio: Studio

    /// What `POST /api/preview` takes.
    struct PreviewRequest: Codable, Sendable {
        var photo: String
        var style: StyleChoice
        var strength: Float?
        var preserveColors: Bool?
        /// The preview's longer side; 512 unless told.
        var size: Int?
    }

    struct BuiltinStyle: Codable, Sendable {
        var index: Int
        var name: String
        var thumbnail: String
    }

    struct Styles: Codable, Sendable {
        var builtin: [BuiltinStyle]
        var paintings: [ImageRecord]
    }

    static let previewSize = 512
    /// A preview is for the screen; a larger picture is a job.
    static let largestPreview = 1024

    func add(to router: Router<some RequestContext>) {
        router.get("/api/styles") { _, _ in
            let builtin = (0..<MultiStyleNetwork.styleCount).map {
                BuiltinStyle(index: $0, name: "Style \($0 + 1)", thumbnail: "/api/styles/\($0)/thumbnail")
            }
            return try Responses.json(Styles(builtin: builtin, paintings: try studio.database.images(role: .painting)))
        }
        router.get("/api/styles/:index/thumbnail") { _, context in
            let text = try Responses.id(context, "index")
            guard let index = Int(text), (0..<MultiStyleNetwork.styleCount).contains(index) else {
                throw StudioError.notFound("built-in style", text)
            }
            return try Responses.file(try await thumbnail(ofBuiltin: index), type: "image/jpeg")
        }
        router.post("/api/preview") { request, _ in
            let preview = try await Responses.decode(PreviewRequest.self, from: request)
            return Responses.bytes(try await render(preview), type: "image/jpeg")
        }
    }

    private func render(_ preview: PreviewRequest) async throws -> Data {
        let settings = JobSettings(method: .instant, photo: preview.photo, style: preview.style,
                                   size: min(preview.size ?? Self.previewSize, Self.largestPreview),
                                   strength: preview.strength, preserveColors: preview.preserveColors)
        try settings.validate()
        // Each lookup checks its image's role; no separate `checkInputs` pass reading them again.
        let photo = studio.folder.upload(try studio.runner.image(preview.photo, as: .photo))
        let painting = try studio.runner.paintingURL(preview.style)
        let previews = studio.previews
        return try await Blocking.run {
            try previews.render(photo: photo, photoID: settings.photo, style: settings.style, painting: painting,
                                strength: settings.effectiveStrength, preserveColors: settings.preserveColors ?? false,
                                size: settings.effectiveSize)
        }
    }

    /// The built-in style on the bundled sample photo, made once and kept in the data folder.
    private func thumbnail(ofBuiltin index: Int) async throws -> URL {
        let url = studio.folder.thumbnail(ofBuiltin: index)
        guard !FileManager.default.fileExists(atPath: url.path) else { return url }
        guard let sample = Bundle.module.url(forResource: "sample-photo", withExtension: "jpg", subdirectory: "Page") else {
            throw StudioError(.internalServerError, "page_missing", "the sample photo is missing from this build")
        }
        let networks = studio.networks
        try await Blocking.run {
            let stylizer = FastStylizer(network: try networks.network(for: .builtin(index), painting: nil))
            try ImageFile.save(try stylizer.stylize(try ImageFile.load(sample)), to: url, quality: 85)
        }
        return url
    }
}
