import Foundation
import GRDB

/// An uploaded photo or painting. The file has a server-made name inside the data folder; the
/// name the user gave is kept only to show.
struct ImageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "image"

    enum Role: String, Codable, Sendable, CaseIterable {
        case photo, painting
    }

    var id: String
    var role: Role
    var originalName: String
    /// Relative to the uploads folder.
    var file: String
    var width: Int
    var height: Int
    var bytes: Int
    var createdAt: Date
}

/// One job and everything needed to show it in the history and repeat it.
struct JobRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "job"

    enum Status: String, Codable, Sendable {
        case queued, running, finished, cancelled, failed
        /// The server stopped while it ran (or waited); its last image is kept as the result.
        case interrupted

        var isOver: Bool { self != .queued && self != .running }
    }

    var id: String
    var settings: JobSettings
    var status: Status
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var step = 0
    var totalSteps = 0
    var loss: Double?
    /// The losses so far, one per step, for the curve.
    var losses: [Double] = []
    /// Relative to the results folder; set once an image exists (a preview or the result).
    var resultFile: String?
    var width: Int?
    var height: Int?
    var error: String?
}
