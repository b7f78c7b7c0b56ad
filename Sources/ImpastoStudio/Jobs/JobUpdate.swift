import Foundation

/// What a job's watchers hear, in order: the job as it is now, then steps and previews while it
/// runs, and the job again at every change of status (the last one ends the stream).
enum JobUpdate: Sendable {
    case job(JobView)
    case step(JobStep)
    case preview(step: Int)
    /// Nothing new: a comment line that keeps the connection checked.
    case heartbeat

    /// The update as one server-sent event.
    var serverSentEvent: String {
        if case .heartbeat = self { return ": still here\n\n" }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let (name, data): (String, Data?) = switch self {
        case .job(let job): ("job", try? encoder.encode(job))
        case .step(let step): ("step", try? encoder.encode(step))
        case .preview(let step): ("preview", try? encoder.encode(["step": step]))
        case .heartbeat: ("", nil)
        }
        return "event: \(name)\ndata: \(String(decoding: data ?? Data("{}".utf8), as: UTF8.self))\n\n"
    }
}

/// One optimiser step, as the page draws it.
struct JobStep: Codable, Sendable, Equatable {
    var step: Int
    var totalSteps: Int
    var loss: Double?
    var elapsedSeconds: Double
    var etaSeconds: Double?
}

/// A job as the API shows it: the record, with where it waits in the queue and its image links.
struct JobView: Codable, Sendable, Equatable {
    var id: String
    var settings: JobSettings
    var status: JobRecord.Status
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var step: Int
    var totalSteps: Int
    var loss: Double?
    var losses: [Double]
    var width: Int?
    var height: Int?
    var error: String?
    /// 1 for the next job to run; nil unless queued.
    var position: Int?
    /// The latest image (a preview while it runs, the result once done); nil before the first.
    var image: String?
    /// A 256-pixel copy of the image once the job is over, for the gallery.
    var thumbnail: String?

    /// `withLosses: false` leaves the loss history out (the history list: a long run's 2000
    /// losses per job would make every poll of the gallery megabytes).
    init(_ job: JobRecord, position: Int?, withLosses: Bool = true) {
        (id, settings, status, createdAt, startedAt, finishedAt) =
            (job.id, job.settings, job.status, job.createdAt, job.startedAt, job.finishedAt)
        (step, totalSteps, loss, losses, width, height, error) =
            (job.step, job.totalSteps, job.loss, withLosses ? job.losses : [], job.width, job.height, job.error)
        self.position = position
        image = job.resultFile == nil ? nil : "/api/jobs/\(job.id)/image?step=\(job.step)"
        thumbnail = job.resultFile != nil && job.status.isOver ? "/api/jobs/\(job.id)/thumbnail" : nil
    }
}
