import Foundation
import ImpastoModels

/// Everything `impasto serve` can be told, with the defaults a person running it on their own
/// machine wants: loopback only, state in the Impasto cache folder.
public struct StudioConfiguration: Sendable {
    /// Loopback by default: the studio has no accounts, so anyone who can reach it can use it.
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port (the tests do).
    public var port = 8080
    /// Uploads, results, thumbnails and the SQLite database. Nothing outside it is written.
    public var dataFolder: URL
    /// The largest upload accepted, in bytes.
    public var uploadLimit = 25 << 20
    /// The most pixels an upload may claim in its header (checked before it is decoded): 50 MP
    /// is above any phone photo and keeps a decoded upload under a gigabyte.
    public var pixelLimit = 50_000_000
    /// Jobs waiting behind the running one before new ones are refused.
    public var queueLimit = 20
    /// Where the networks' weights are cached (and fetched to on first use).
    public var store = ArtefactStore()

    public init(dataFolder: URL? = nil) {
        self.dataFolder = dataFolder ?? ArtefactStore().directory.appendingPathComponent("studio", isDirectory: true)
    }
}
