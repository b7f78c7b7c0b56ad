import Foundation
import ImpastoStyle
import ServiceLifecycle
import Synchronization

/// Long jobs, one at a time, in the order they came. The queue is a service of the application:
/// it runs while the server does, and when the server is told to stop it cancels the running job
/// at its next step, keeps its image and marks it interrupted.
actor JobQueue: Service {
    private let database: StudioDatabase
    private let runner: JobRunner
    private let limit: Int
    private var waiting: [String] = []
    private var watchers: [String: [UUID: AsyncStream<JobUpdate>.Continuation]] = [:]
    /// Wakes the worker; buffering one is enough (it drains the whole queue when woken).
    private let wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    /// The running job and its cancellation; read from the shutdown handler, which cannot wait
    /// for the actor.
    private let running = Mutex<(id: String, cancellation: Cancellation)?>(nil)
    private let stopping = Cancellation()

    init(database: StudioDatabase, runner: JobRunner, limit: Int) {
        self.database = database
        self.runner = runner
        self.limit = limit
    }

    /// Stores a new job and queues it; refused when the queue is full or the settings cannot work.
    func submit(_ settings: JobSettings) throws -> JobView {
        try settings.validate()
        try runner.checkInputs(settings)
        guard waiting.count < limit else {
            throw StudioError(.tooManyRequests, "queue_full", "\(waiting.count) jobs are waiting already; try again when one is done")
        }
        var settings = settings
        settings.seed = settings.effectiveSeed
        let job = JobRecord(id: UUID().uuidString.lowercased(), settings: settings, status: .queued, createdAt: Date())
        try database.save(job)
        waiting.append(job.id)
        wake.continuation.yield()
        return view(job)
    }

    /// Cancels a job: a waiting one at once, the running one at its next step.
    func cancel(_ id: String) throws -> JobView {
        guard var job = try database.job(id) else { throw StudioError.notFound("job", id) }
        if let index = waiting.firstIndex(of: id) {
            waiting.remove(at: index)
            job.status = .cancelled
            job.finishedAt = Date()
            try database.save(job)
            finish(job)
            publishPositions()
        } else if job.status == .running {
            running.withLock { current in if current?.id == id { current?.cancellation.cancel() } }
        }
        return view(job)
    }

    func view(_ job: JobRecord, withLosses: Bool = true) -> JobView {
        JobView(job, position: waiting.firstIndex(of: job.id).map { $0 + 1 }, withLosses: withLosses)
    }

    /// Whether a queued or running job reads the image `id` (it may not be deleted under it).
    func uses(image id: String) -> Bool {
        let active = waiting + [running.withLock { $0?.id }].compactMap { $0 }
        return active.contains { job in
            guard let settings = (try? database.job(job))??.settings else { return false }
            return settings.photo == id || settings.style == .painting(id)
        }
    }

    func isActive(_ id: String) -> Bool {
        waiting.contains(id) || (try? database.job(id))??.status == .running
    }

    /// The job now, then its updates until it is over, with a heartbeat every `heartbeat`.
    func watch(_ id: String, heartbeat: Duration) throws -> AsyncStream<JobUpdate> {
        guard let job = try database.job(id) else { throw StudioError.notFound("job", id) }
        let (stream, continuation) = AsyncStream<JobUpdate>.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.yield(.job(view(job)))
        guard !job.status.isOver else {
            continuation.finish()
            return stream
        }
        let key = UUID()
        watchers[id, default: [:]][key] = continuation
        let beat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: heartbeat)
                continuation.yield(.heartbeat)
            }
        }
        continuation.onTermination = { _ in
            beat.cancel()
            Task { await self.unwatch(id, key) }
        }
        return stream
    }

    private func unwatch(_ id: String, _ key: UUID) {
        watchers[id]?[key] = nil
        if watchers[id]?.isEmpty == true { watchers[id] = nil }
    }

    func publish(_ update: JobUpdate, for id: String) {
        for continuation in watchers[id, default: [:]].values { continuation.yield(update) }
    }

    /// Tells every waiting job's watchers where it now stands in line.
    private func publishPositions() {
        for id in waiting where watchers[id] != nil {
            if let job = try? database.job(id) { publish(.job(view(job)), for: id) }
        }
    }

    private func finish(_ job: JobRecord) {
        publish(.job(view(job)), for: job.id)
        for continuation in watchers[job.id, default: [:]].values { continuation.finish() }
        watchers[job.id] = nil
    }

    // MARK: The worker

    func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wake.stream {
                while !stopping.isCancelled, !waiting.isEmpty {
                    await runNext()
                }
                if stopping.isCancelled { break }
            }
        } onGracefulShutdown: {
            self.stopForShutdown()
        }
        try markLeftInterrupted()
    }

    /// Called from the shutdown handler, outside the actor: stops the running job at its next
    /// step and lets the worker's loop end.
    private nonisolated func stopForShutdown() {
        stopping.cancel()
        running.withLock { $0?.cancellation.cancel() }
        wake.continuation.finish()
    }

    private func runNext() async {
        let id = waiting.removeFirst()
        publishPositions()
        guard var job = try? database.job(id) else { return }
        let cancellation = Cancellation()
        running.withLock { $0 = (id, cancellation) }
        defer { running.withLock { $0 = nil } }
        // A shutdown between the worker's check and the line above must still stop this job.
        if stopping.isCancelled { cancellation.cancel() }
        job.status = .running
        job.startedAt = Date()
        try? database.save(job)
        publish(.job(view(job)), for: id)
        job = await runner.run(job, cancellation: cancellation, interrupted: stopping) { update, record in
            if let record { try? self.database.save(record) }
            await self.publish(update, for: id)
        }
        if !job.status.isOver {
            job.status = .failed
            job.error = "the run ended without a result"
        }
        job.finishedAt = Date()
        try? database.save(job)
        runner.removePreview(ofFinished: job)
        await runner.writeThumbnail(of: job)
        finish(job)
    }

    /// Jobs still waiting when the server stops are interrupted too: they never started.
    private func markLeftInterrupted() throws {
        for id in waiting {
            guard var job = try database.job(id) else { continue }
            job.status = .interrupted
            job.finishedAt = Date()
            job.error = "the server stopped while this job waited"
            try database.save(job)
            finish(job)
        }
        waiting.removeAll()
    }
}
