import Foundation
import Hummingbird
import ImpastoImage
import ServiceLifecycle

/// Jobs: start, list (the history), one job, its events as a server-sent stream, its latest
/// image, its result for download, cancel, delete.
struct JobRoutes: Sendable {
    let studio: Studio

    func add(to router: Router<some RequestContext>) {
        router.post("/api/jobs") { request, _ in
            let settings = try await Responses.decode(JobSettings.self, from: request)
            return try Responses.json(try await studio.queue.submit(settings), status: .accepted)
        }
        router.get("/api/jobs") { _, _ in
            var views: [JobView] = []
            for job in try studio.database.jobs() { views.append(await studio.queue.view(job, withLosses: false)) }
            return try Responses.json(views)
        }
        router.get("/api/jobs/:id") { _, context in try Responses.json(await studio.queue.view(try job(context))) }
        router.get("/api/jobs/:id/events") { _, context in try await events(try job(context).id) }
        router.get("/api/jobs/:id/image") { _, context in
            let job = try job(context)
            guard let file = job.resultFile else { throw StudioError(.notFound, "no_image_yet", "job \(job.id) has no image yet") }
            let url = studio.folder.results.appendingPathComponent(file)
            return try Responses.file(url, type: file.hasSuffix(".png") ? "image/png" : "image/jpeg")
        }
        router.get("/api/jobs/:id/thumbnail") { _, context in
            let job = try job(context)
            let thumbnail = studio.folder.thumbnail(ofJob: job.id)
            guard job.status.isOver, FileManager.default.fileExists(atPath: thumbnail.path) else {
                throw StudioError(.notFound, "no_image_yet", "job \(job.id) has no thumbnail yet")
            }
            return try Responses.file(thumbnail, type: "image/jpeg")
        }
        router.get("/api/jobs/:id/result") { request, context in
            try await result(try job(context), format: request.uri.queryParameters["format"].map(String.init) ?? "png")
        }
        router.post("/api/jobs/:id/cancel") { _, context in
            try Responses.json(try await studio.queue.cancel(try Responses.id(context)))
        }
        router.delete("/api/jobs/:id") { _, context -> Response in
            let job = try job(context)
            guard await !studio.queue.isActive(job.id) else {
                throw StudioError(.conflict, "job_active", "job \(job.id) is \(job.status.rawValue); cancel it first")
            }
            _ = try studio.database.deleteJob(job.id)
            StudioFolder.remove([studio.folder.result(ofJob: job.id), studio.folder.preview(ofJob: job.id),
                                 studio.folder.thumbnail(ofJob: job.id)])
            return Response(status: .noContent)
        }
    }

    private func job(_ context: some RequestContext) throws -> JobRecord {
        let id = try Responses.id(context)
        guard let job = try studio.database.job(id) else { throw StudioError.notFound("job", id) }
        return job
    }

    /// Server-sent events until the job is over (see `JobUpdate`), or until the server stops: the
    /// server waits for open requests before the queue stops the job, so a watched job must not
    /// hold it up. A comment line every 15 seconds finds pages that went away.
    private func events(_ id: String) async throws -> Response {
        let updates = try await studio.queue.watch(id, heartbeat: .seconds(15))
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for await update in updates.cancelOnGracefulShutdown() {
                try await writer.write(ByteBuffer(string: update.serverSentEvent))
            }
            try await writer.finish(nil)
        })
    }

    /// The finished (or cancelled, or interrupted) job's full-size image as PNG or JPEG.
    private func result(_ job: JobRecord, format: String) async throws -> Response {
        guard let memoryFormat = ImageFile.MemoryFormat(rawValue: format == "jpg" ? "jpeg" : format) else {
            throw StudioError.badRequest("bad_format", "format must be png or jpeg, not '\(format.prefix(20))'")
        }
        guard job.status.isOver, let file = job.resultFile else {
            throw StudioError(.conflict, "not_done", "job \(job.id) is \(job.status.rawValue); its result is not ready")
        }
        let url = studio.folder.results.appendingPathComponent(file)
        let name = "impasto-\(job.id.prefix(8)).\(memoryFormat == .png ? "png" : "jpg")"
        if file.hasSuffix(".\(memoryFormat == .png ? "png" : "jpg")") {
            return try Responses.file(url, type: "image/\(memoryFormat.rawValue)", downloadName: name)
        }
        let data = try await Blocking.run { try ImageFile.encoded(try ImageFile.load(url), as: memoryFormat, quality: 95) }
        return Responses.bytes(data, type: "image/\(memoryFormat.rawValue)", downloadName: name)
    }
}
