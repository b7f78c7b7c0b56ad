import Foundation
import ImpastoCore
import ImpastoImage

/// One photo to stylise in one pass, and where to write it (nil: only reported in the event).
public struct ApplyJob: Sendable {
    public var source: ImageSource
    public var destination: URL?

    public init(source: ImageSource, destination: URL?) {
        self.source = source
        self.destination = destination
    }
}

/// What an apply run reports: each photo done or skipped, then how it ended.
public enum ApplyEvent: Sendable {
    case stylized(index: Int, of: Int, source: String, destination: URL?, image: Tensor, elapsed: Duration)
    /// A file in a batch that is not an image; a lone photo that is not one fails the run instead.
    case skipped(index: Int, of: Int, source: String, reason: String)
    /// What a photo's result leaves out (the later frames of an animation, transparency in a
    /// JPEG), reported before the photo is stylised.
    case warning(index: Int, of: Int, source: String, warning: ImageWarning)
    case finished(written: Int, of: Int)
    case cancelled(written: Int, of: Int)
    case failed(any Error)
}

/// Photos through a one-pass network: loaded at the run's size, stylised, written atomically with
/// their transparency where the output format keeps it.
public struct ApplyRun: Sendable {
    public var stylizer: FastStylizer
    public var jobs: [ApplyJob]
    public var maxDimension: Int?
    public var quality = 95

    public init(stylizer: FastStylizer, jobs: [ApplyJob], maxDimension: Int? = nil) {
        self.stylizer = stylizer
        self.jobs = jobs
        self.maxDimension = maxDimension
    }

    /// Stylises every job in order on the calling thread, stopping between photos when
    /// cancelled. Returns how many were stylised.
    @discardableResult
    public func run(cancellation: Cancellation = Cancellation(), onEvent: (ApplyEvent) throws -> Void = { _ in }) throws -> Int {
        var written = 0
        for (index, job) in jobs.enumerated() {
            if cancellation.isCancelled {
                try onEvent(.cancelled(written: written, of: jobs.count))
                return written
            }
            let photo: DecodedImage
            do {
                // Before any work: a name the file system refuses would fail only after stylising.
                if let destination = job.destination { try ImageFile.checkNameLength(of: destination) }
                photo = try job.source.loadWithAlpha(maxDimension: maxDimension)
            } catch ImageError.notAnImage(let path) where jobs.count > 1 {
                try onEvent(.skipped(index: index, of: jobs.count, source: path, reason: "not an image"))
                continue
            } catch let error as ImageError where jobs.count > 1 {
                // One damaged or oversized photo, or one whose result cannot be named, must not stop a
                // folder: it is reported and skipped.
                try onEvent(.skipped(index: index, of: jobs.count, source: job.source.name, reason: error.description))
                continue
            }
            for warning in ImageWarning.warnings(for: photo, destination: job.destination) {
                try onEvent(.warning(index: index, of: jobs.count, source: job.source.name, warning: warning))
            }
            let started = ContinuousClock.now
            let image = try stylizer.stylize(photo.colour)
            if let destination = job.destination {
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                try ImageFile.save(image, alpha: photo.alpha, to: destination, quality: quality)
            }
            written += 1
            try onEvent(.stylized(index: index, of: jobs.count, source: job.source.name, destination: job.destination,
                                  image: image, elapsed: ContinuousClock.now - started))
        }
        try onEvent(.finished(written: written, of: jobs.count))
        return written
    }

    public func events(cancellation: Cancellation = Cancellation()) -> AsyncStream<ApplyEvent> {
        eventStream(cancellation: cancellation, failed: ApplyEvent.failed) { yield in
            try run(cancellation: cancellation, onEvent: yield)
        }
    }
}
