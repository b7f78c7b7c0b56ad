import Foundation
import ImpastoCore
import ImpastoModels

/// A photo the network never saw, its output for it and the output's loss by term.
public struct HeldOutPhoto: Sendable {
    /// `1 × 3 × S × S` in [0, 1].
    public var photo: Tensor
    /// The network's output for `photo`, the same shape.
    public var output: Tensor
    public var loss: TrainingLoss
}

extension FastStyleTrainer {
    /// The photo at `url` resized and centre-cropped to `size` (a multiple of 4, as the network
    /// needs), stylised by `network` and scored alone with the training objective. The temporal
    /// term is not part of it; it is what a recipe may trade against.
    public func heldOut(_ url: URL, network: TransformerNet, size: Int) throws -> HeldOutPhoto {
        let photo = try TrainingImages.square(url, size: size)
        let output = network(photo).laidOut(as: .nchw).detached()
        return HeldOutPhoto(photo: photo, output: output, loss: perceptualLoss(of: output, photos: photo).1)
    }

    /// The mean perceptual loss, by term, of `network` over `photos` (see `heldOut`): the
    /// training objective on photos the network never saw, so that two recipes can be compared
    /// on what they were both asked to do.
    public func meanPerceptualLoss(of network: TransformerNet, on photos: [URL], size: Int) throws -> TrainingLoss {
        var sum = TrainingLoss(content: 0, style: 0, totalVariation: 0)
        for url in photos {
            let parts = try heldOut(url, network: network, size: size).loss
            (sum.content, sum.style, sum.totalVariation) =
                (sum.content + parts.content, sum.style + parts.style, sum.totalVariation + parts.totalVariation)
        }
        let count = Double(max(photos.count, 1))
        return TrainingLoss(content: sum.content / count, style: sum.style / count, totalVariation: sum.totalVariation / count)
    }
}
