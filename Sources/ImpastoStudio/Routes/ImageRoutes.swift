import Foundation
import Hummingbird

/// Photos and paintings: upload (the raw file as the body, `?role=photo|painting&name=…`), list,
/// the file, its thumbnail, delete.
struct ImageRoutes: Sendable {
    let studio: Studio

    func add(to router: Router<some RequestContext>) {
        router.post("/api/images") { request, _ in try await upload(request) }
        router.get("/api/images") { request, _ in
            let role = try request.uri.queryParameters["role"].map { try Self.role(String($0)) }
            return try Responses.json(try studio.database.images(role: role))
        }
        router.get("/api/images/:id") { _, context in try Responses.json(try image(context)) }
        router.get("/api/images/:id/file") { _, context in
            let image = try image(context)
            return try Responses.file(studio.folder.upload(image), type: Self.type(ofFile: image.file))
        }
        router.get("/api/images/:id/thumbnail") { _, context in
            try Responses.file(studio.folder.thumbnail(ofImage: try image(context).id), type: "image/jpeg")
        }
        router.delete("/api/images/:id") { _, context -> Response in
            let image = try image(context)
            guard await !studio.queue.uses(image: image.id) else {
                throw StudioError(.conflict, "image_in_use", "a queued or running job uses \(image.originalName); cancel it first")
            }
            try studio.uploads.delete(image)
            studio.networks.forget(painting: image.id)
            return Response(status: .noContent)
        }
    }

    private func upload(_ request: Request) async throws -> Response {
        let role = try Self.role(request.uri.queryParameters["role"].map(String.init) ?? "")
        let name = request.uri.queryParameters["name"].map(String.init) ?? "upload"
        let limit = studio.configuration.uploadLimit
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Self.tooLarge(limit)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Self.tooLarge(limit)
        }
        guard body.readableBytes > 0 else { throw StudioError.badRequest("empty_upload", "the upload is empty") }
        let record = try await studio.uploads.accept(Data(body.readableBytesView), role: role, name: name)
        return try Responses.json(record, status: .created)
    }

    private func image(_ context: some RequestContext) throws -> ImageRecord {
        let id = try Responses.id(context)
        guard let image = try studio.database.image(id) else { throw StudioError.notFound("image", id) }
        return image
    }

    private static func role(_ text: String) throws -> ImageRecord.Role {
        guard let role = ImageRecord.Role(rawValue: text) else {
            throw StudioError.badRequest("bad_role", "role must be photo or painting, not '\(text.prefix(40))'")
        }
        return role
    }

    private static func tooLarge(_ limit: Int) -> StudioError {
        let shown = limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit) bytes"
        return StudioError(.contentTooLarge, "upload_too_large", "uploads are limited to \(shown)")
    }

    static func type(ofFile file: String) -> String {
        switch (file as NSString).pathExtension {
        case "png": "image/png"
        case "webp": "image/webp"
        case "tif": "image/tiff"
        default: "image/jpeg"
        }
    }
}
