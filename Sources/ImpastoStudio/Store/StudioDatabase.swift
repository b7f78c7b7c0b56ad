import Foundation
import GRDB

/// The studio's history in SQLite: images uploaded and jobs run. One writer (GRDB's queue), so
/// the job worker and the routes never see half a change.
struct StudioDatabase: Sendable {
    let queue: DatabaseQueue

    init(file: URL) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: file.path, configuration: configuration)
        try Self.migrator.migrate(queue)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "image") { table in
                table.primaryKey("id", .text)
                table.column("role", .text).notNull().indexed()
                table.column("originalName", .text).notNull()
                table.column("file", .text).notNull()
                table.column("width", .integer).notNull()
                table.column("height", .integer).notNull()
                table.column("bytes", .integer).notNull()
                table.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "job") { table in
                table.primaryKey("id", .text)
                table.column("settings", .jsonText).notNull()
                table.column("status", .text).notNull().indexed()
                table.column("createdAt", .datetime).notNull()
                table.column("startedAt", .datetime)
                table.column("finishedAt", .datetime)
                table.column("step", .integer).notNull()
                table.column("totalSteps", .integer).notNull()
                table.column("loss", .double)
                table.column("losses", .jsonText).notNull()
                table.column("resultFile", .text)
                table.column("width", .integer)
                table.column("height", .integer)
                table.column("error", .text)
            }
        }
        return migrator
    }

    // MARK: Images

    func insert(_ image: ImageRecord) throws {
        try queue.write { try image.insert($0) }
    }

    func image(_ id: String) throws -> ImageRecord? {
        try queue.read { try ImageRecord.fetchOne($0, key: id) }
    }

    func images(role: ImageRecord.Role?) throws -> [ImageRecord] {
        try queue.read { db in
            var request = ImageRecord.order(Column("createdAt").desc)
            if let role { request = request.filter(Column("role") == role.rawValue) }
            return try request.fetchAll(db)
        }
    }

    func deleteImage(_ id: String) throws -> Bool {
        try queue.write { try ImageRecord.deleteOne($0, key: id) }
    }

    // MARK: Jobs

    func save(_ job: JobRecord) throws {
        try queue.write { try job.save($0) }
    }

    func job(_ id: String) throws -> JobRecord? {
        try queue.read { try JobRecord.fetchOne($0, key: id) }
    }

    func jobs() throws -> [JobRecord] {
        try queue.read { try JobRecord.order(Column("createdAt").desc).fetchAll($0) }
    }

    func deleteJob(_ id: String) throws -> Bool {
        try queue.write { try JobRecord.deleteOne($0, key: id) }
    }

    /// Jobs left queued or running by a server that stopped: marked interrupted (their last image,
    /// if any, stays their result). Returns how many.
    func markInterrupted(at date: Date) throws -> Int {
        try queue.write { db in
            let stale = try JobRecord.filter([JobRecord.Status.queued.rawValue, JobRecord.Status.running.rawValue]
                .contains(Column("status"))).fetchAll(db)
            for var job in stale {
                job.status = .interrupted
                job.finishedAt = date
                job.error = "the server stopped while this job \(job.startedAt == nil ? "waited" : "ran")"
                try job.update(db)
            }
            return stale.count
        }
    }
}
