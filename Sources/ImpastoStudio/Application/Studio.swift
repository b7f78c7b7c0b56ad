import Foundation
import ImpastoImage

/// Everything the routes share: the folder, the database, the networks and the job queue.
struct Studio: Sendable {
    let configuration: StudioConfiguration
    let folder: StudioFolder
    let database: StudioDatabase
    let networks: StudioNetworks
    let previews: InstantPreviews
    let runner: JobRunner
    let queue: JobQueue
    let uploads: UploadedImages

    /// Opens (or makes) the data folder and its database; jobs a stopped server left queued or
    /// running are marked interrupted.
    init(configuration: StudioConfiguration) throws {
        self.configuration = configuration
        folder = try StudioFolder(root: configuration.dataFolder)
        database = try StudioDatabase(file: folder.database)
        _ = try database.markInterrupted(at: Date())
        networks = StudioNetworks(store: configuration.store)
        previews = InstantPreviews(networks: networks)
        runner = JobRunner(folder: folder, database: database, networks: networks)
        queue = JobQueue(database: database, runner: runner, limit: configuration.queueLimit)
        uploads = UploadedImages(folder: folder, database: database, pixelLimit: configuration.pixelLimit)
    }
}
