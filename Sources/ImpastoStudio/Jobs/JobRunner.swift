import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoStyle

/// Runs one job through the library's pipeline and keeps its images: previews as they come,
/// the result at the end, and the last image when it is cancelled or interrupted.
struct JobRunner: Sendable {
    let folder: StudioFolder
    let database: StudioDatabase
    let networks: StudioNetworks

    /// A preview after every step: finishing and encoding one costs a few milliseconds at 512
    /// pixels, against hundreds for the step, and the page shows the picture as it forms.
    static let previewEvery = 1

    /// Throws unless the job's images exist and have the right roles.
    func checkInputs(_ settings: JobSettings) throws {
        _ = try image(settings.photo, as: .photo)
        if case .painting(let id) = settings.style { _ = try image(id, as: .painting) }
    }

    typealias Report = @Sendable (JobUpdate, JobRecord?) async -> Void

    /// The job as it ended: finished, cancelled, interrupted (when `interrupted` is set) or failed.
    func run(_ job: JobRecord, cancellation: Cancellation, interrupted: Cancellation, report: Report) async -> JobRecord {
        var job = job
        do {
            switch job.settings.method {
            case .gatys: try await runGatys(&job, cancellation: cancellation, report: report)
            case .instant: try await runInstant(&job, cancellation: cancellation)
            }
            if job.status == .cancelled, interrupted.isCancelled {
                job.status = .interrupted
                job.error = "the server stopped while this job ran; its last image is kept"
            }
        } catch {
            job.status = .failed
            job.error = String(describing: error)
        }
        return job
    }

    private func runGatys(_ job: inout JobRecord, cancellation: Cancellation, report: Report) async throws {
        let settings = job.settings
        guard case .painting(let paintingID) = settings.style else { return }
        let photo = try folder.upload(image(settings.photo, as: .photo))
        let painting = try folder.upload(image(paintingID, as: .painting))
        let networks = self.networks
        let vgg = try await Blocking.run { try networks.vgg19() }
        var configuration = StylizeConfiguration(preset: .recommended)
        configuration.maxDimension = settings.effectiveSize
        configuration.stepsPerEpoch = settings.effectiveSteps
        configuration.seed = settings.effectiveSeed
        configuration.colorPreservation = settings.preserveColors == true ? .luminance : .none
        var request = StylizeRequest(content: .file(photo), styles: [.file(painting)], configuration: configuration)
        request.previewEvery = Self.previewEvery
        job.totalSteps = configuration.totalSteps
        for await event in StylizeRun(request: request, network: vgg).events(cancellation: cancellation) {
            switch event {
            case .started(let plan):
                (job.width, job.height) = plan.content
            case .step(let step):
                let progress = step.progress
                (job.step, job.totalSteps, job.loss) = (progress.step, progress.totalSteps, progress.report.total)
                job.losses.append(progress.report.total)
                let elapsed = Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) * 1e-18
                let eta = progress.step > 0 ? elapsed / Double(progress.step) * Double(progress.totalSteps - progress.step) : nil
                await report(.step(JobStep(step: progress.step, totalSteps: progress.totalSteps, loss: progress.report.total,
                                           elapsedSeconds: elapsed, etaSeconds: eta)), nil)
            case .preview(let step, _, let image):
                try await write(image, to: folder.preview(ofJob: job.id), format: .jpeg)
                job.resultFile = folder.preview(ofJob: job.id).lastPathComponent
                await report(.preview(step: step), job)
            case .finished(let result), .cancelled(let result):
                try await write(result.image, to: folder.result(ofJob: job.id), format: .png)
                job.resultFile = folder.result(ofJob: job.id).lastPathComponent
                job.step = result.step
                job.status = result.completed ? .finished : .cancelled
            case .failed(let error):
                throw error
            case .stageStarted, .checkpointSaved:
                break
            }
        }
    }

    private func runInstant(_ job: inout JobRecord, cancellation: Cancellation) async throws {
        let settings = job.settings
        let photo = try folder.upload(image(settings.photo, as: .photo))
        let painting = try paintingURL(settings.style)
        let destination = folder.result(ofJob: job.id)
        let networks = self.networks
        job.totalSteps = 1
        let size = try await Blocking.run {
            let stylizer = FastStylizer(network: try networks.network(for: settings.style, painting: painting),
                                        strength: settings.effectiveStrength,
                                        colorPreservation: settings.preserveColors == true ? .luminance : .none)
            let image = try stylizer.stylize(try ImageFile.load(photo, maxDimension: settings.effectiveSize))
            try ImageFile.save(image, to: destination)
            return (width: image.shape.w, height: image.shape.h)
        }
        (job.width, job.height, job.step) = (size.width, size.height, 1)
        job.resultFile = destination.lastPathComponent
        job.status = cancellation.isCancelled ? .cancelled : .finished
    }

    /// The preview of a job whose result is written, once the record names the result (before,
    /// a page could still ask for the preview the record named).
    func removePreview(ofFinished job: JobRecord) {
        if job.resultFile == folder.result(ofJob: job.id).lastPathComponent {
            StudioFolder.remove([folder.preview(ofJob: job.id)])
        }
    }

    /// The gallery's small copy of an ended job's image (the result, or the last preview of a job
    /// that failed or was interrupted), so the gallery never loads full-size results.
    func writeThumbnail(of job: JobRecord) async {
        guard let file = job.resultFile else { return }
        let (image, thumbnail) = (folder.results.appendingPathComponent(file), folder.thumbnail(ofJob: job.id))
        _ = try? await Blocking.run {
            try ImageFile.save(try ImageFile.load(image, maxDimension: UploadedImages.thumbnailSide), to: thumbnail, quality: 85)
        }
    }

    /// The uploaded painting's file for a painting style; nil for a built-in one.
    func paintingURL(_ style: StyleChoice) throws -> URL? {
        guard case .painting(let id) = style else { return nil }
        return folder.upload(try image(id, as: .painting))
    }

    func image(_ id: String, as role: ImageRecord.Role) throws -> ImageRecord {
        guard let image = try database.image(id) else { throw StudioError.notFound("image", id) }
        guard image.role == role else {
            throw StudioError.badRequest("wrong_role", "image \(id) is a \(image.role.rawValue), not a \(role.rawValue)")
        }
        return image
    }

    private func write(_ image: Tensor, to url: URL, format: ImageFile.MemoryFormat) async throws {
        let data = try await Blocking.run { try ImageFile.encoded(image, as: format) }
        try StudioFolder.writeAtomically(data, to: url)
    }
}
