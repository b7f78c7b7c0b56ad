import Foundation
import ImpastoCore
import ImpastoModels
import ImpastoStyle
import Synchronization

/// The networks the studio uses, each loaded (and fetched, the first time) when first needed and
/// then kept for the server's life, and the style vectors of paintings already seen: the live
/// mode and the strength slider must not pay for either twice.
final class StudioNetworks: Sendable {
    private let store: ArtefactStore
    private let vgg = Mutex<VGG19?>(nil)
    private let multiStyle = Mutex<MultiStyleNetwork?>(nil)
    private let arbitrary = Mutex<ArbitraryStylizer?>(nil)
    private let styleVectors = Mutex<[String: [Float]]>([:])

    init(store: ArtefactStore) {
        self.store = store
    }

    func vgg19() throws -> VGG19 {
        try loaded(vgg) { try VGG19.load(contentsOf: try store.ensure([.vgg19], announce: Self.announce)[0]) }
    }

    func builtin() throws -> MultiStyleNetwork {
        try loaded(multiStyle) { try MultiStyleNetwork.fetched(from: store, announce: Self.announce) }
    }

    func anyPainting() throws -> ArbitraryStylizer {
        try loaded(arbitrary) { try ArbitraryStylizer.fetched(from: store, announce: Self.announce) }
    }

    /// The one-pass network for `style`; `painting` is the uploaded painting's file for a painting style.
    func network(for style: StyleChoice, painting: URL?) throws -> OnePassNetwork {
        switch style {
        case .builtin(let index):
            return .builtin(try builtin(), try StyleBlend.single(index))
        case .painting(let id):
            let stylizer = try anyPainting()
            if let vector = styleVectors.withLock({ $0[id] }) { return .arbitrary(stylizer, styleVector: vector) }
            guard let painting else { preconditionFailure("a painting style comes with its painting's file") }
            let vector = try stylizer.styleVector(ofPaintings: [(url: painting, weight: 1)])
            styleVectors.withLock { $0[id] = vector }
            return .arbitrary(stylizer, styleVector: vector)
        }
    }

    /// Forgets a deleted painting's vector.
    func forget(painting id: String) {
        _ = styleVectors.withLock { $0.removeValue(forKey: id) }
    }

    /// Loads under the lock, so two first requests load once; the lock is held while loading,
    /// which only the first requests wait for.
    private func loaded<Network: Sendable>(_ slot: borrowing Mutex<Network?>, _ load: () throws -> Network) throws -> Network {
        try slot.withLock { network in
            if let network { return network }
            let fresh = try load()
            network = fresh
            return fresh
        }
    }

    private static func announce(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
