import Foundation
import ImpastoCore
import ImpastoModels

extension FastStyleTrainer {
    /// The mean perceptual loss, by term, of `network` over `photos` (each resized and
    /// centre-cropped to `size`, scored alone): the training objective on photos the network
    /// never saw, so that two recipes can be compared on what they were both asked to do.
    /// The temporal term is not part of it; it is what a recipe may trade against.
    public func meanPerceptualLoss(of network: TransformerNet, on photos: [URL], size: Int) throws -> TrainingLoss {
        var sum = TrainingLoss(content: 0, style: 0, totalVariation: 0)
        for url in photos {
            let photo = try TrainingImages.square(url, size: size)
            let parts = perceptualLoss(of: network(photo), photos: photo).1
            (sum.content, sum.style, sum.totalVariation) =
                (sum.content + parts.content, sum.style + parts.style, sum.totalVariation + parts.totalVariation)
        }
        let count = Double(max(photos.count, 1))
        return TrainingLoss(content: sum.content / count, style: sum.style / count, totalVariation: sum.totalVariation / count)
    }
}
