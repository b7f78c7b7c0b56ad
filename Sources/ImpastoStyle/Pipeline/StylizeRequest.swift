import Foundation
import ImpastoModels

/// Everything a stylize run needs besides the network.
public struct StylizeRequest: Sendable {
    public var content: ImageSource
    /// One or more paintings, blended by `configuration.styleBlend`.
    public var styles: [ImageSource]
    public var configuration: StylizeConfiguration
    /// Where to save the whole state, every `checkpointEvery` steps and when cancelled.
    public var checkpoint: URL?
    public var checkpointEvery = 50
    /// A checkpoint to continue from (see `StylizeCheckpoint.read`).
    public var resume: StylizeCheckpoint?
    /// Send a `.preview` every this many steps of each stage; nil sends none.
    public var previewEvery: Int?

    public init(content: ImageSource, styles: [ImageSource], configuration: StylizeConfiguration) {
        self.content = content
        self.styles = styles
        self.configuration = configuration
    }
}

/// A saved run's state and the settings it was written with.
public struct StylizeCheckpoint: Sendable {
    public var archive: StateArchive
    public var configuration: StylizeConfiguration

    public static func read(_ url: URL) throws -> StylizeCheckpoint {
        do {
            let archive = try StateArchive.read(contentsOf: url)
            return StylizeCheckpoint(archive: archive, configuration: try Stylization.configuration(of: archive))
        } catch let error as WeightFileError {
            throw CheckpointError.unreadable(path: url.path, reason: error.description)
        }
    }

    /// Throws unless `configuration` optimises the same thing as the saved run: only how long it
    /// runs, when it stops and how it is tiled may differ (tiles change the memory a step needs,
    /// so a run saved on one machine may go on, tiled, on a smaller one).
    public func checkCompatible(with configuration: StylizeConfiguration) throws {
        let (now, then) = (try Self.comparable(configuration), try Self.comparable(self.configuration))
        let differing = Set(now.keys).union(then.keys).filter { now[$0] != then[$0] }.sorted()
        guard differing.isEmpty else { throw CheckpointError.otherSettings(path: archive.path, settings: differing) }
    }

    /// Each setting's encoded value, with the free ones set alike.
    private static func comparable(_ configuration: StylizeConfiguration) throws -> [String: String] {
        var free = configuration
        (free.epochs, free.stepsPerEpoch, free.tolerance, free.toleranceSteps, free.tile) = (1, 1, nil, 1, nil)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(free)) as? [String: Any] ?? [:]
        return try json.mapValues { value in
            String(decoding: try JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]), as: UTF8.self)
        }
    }
}
