import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoStyle
import Synchronization

/// The instant method's picture at preview size, for the strength slider: the photo is decoded
/// and shrunk once and kept (the last few), so moving the slider costs one network pass.
final class InstantPreviews: Sendable {
    private let networks: StudioNetworks
    private let photos = Mutex<[(key: String, image: Tensor)]>([])
    static let keptPhotos = 4

    init(networks: StudioNetworks) {
        self.networks = networks
    }

    /// JPEG bytes of `photo` in `style` at `strength`, its longer side at most `size`.
    func render(photo: URL, photoID: String, style: StyleChoice, painting: URL?, strength: Float,
                preserveColors: Bool, size: Int) throws -> Data {
        let image = try shrunk(photo, key: "\(photoID)@\(size)", size: size)
        let stylizer = FastStylizer(network: try networks.network(for: style, painting: painting), strength: strength,
                                    colorPreservation: preserveColors ? .luminance : .none)
        return try ImageFile.encoded(try stylizer.stylize(image), as: .jpeg, quality: 88)
    }

    private func shrunk(_ url: URL, key: String, size: Int) throws -> Tensor {
        if let kept = photos.withLock({ $0.first { $0.key == key }?.image }) { return kept }
        let image = try ImageFile.load(url, maxDimension: size)
        photos.withLock { kept in
            kept.removeAll { $0.key == key }
            kept.insert((key, image), at: 0)
            if kept.count > Self.keptPhotos { kept.removeLast() }
        }
        return image
    }
}
