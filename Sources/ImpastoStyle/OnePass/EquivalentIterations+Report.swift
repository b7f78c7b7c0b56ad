import Foundation
import ImpastoModels

// What `EquivalentIterations` measures, as `impasto evaluate --json` writes it. The JSON keys are
// part of the interface (scripts compare recipes by them), so they are spelled out.

/// A perceptual loss by term, weighted as in training.
public struct LossTerms: Codable, Sendable, Equatable {
    public var total: Double
    public var content: Double
    public var style: Double
    public var totalVariation: Double

    public init(_ loss: TrainingLoss) {
        (total, content, style, totalVariation) = (loss.total, loss.content, loss.style, loss.totalVariation)
    }

    /// The mean of each term.
    public init(meanOf terms: [LossTerms]) {
        let count = Double(max(terms.count, 1))
        total = terms.map(\.total).reduce(0, +) / count
        content = terms.map(\.content).reduce(0, +) / count
        style = terms.map(\.style).reduce(0, +) / count
        totalVariation = terms.map(\.totalVariation).reduce(0, +) / count
    }

    enum CodingKeys: String, CodingKey {
        case total, content, style
        case totalVariation = "total_variation"
    }
}

/// One photo's measurement.
public struct PhotoEquivalence: Codable, Sendable, Equatable {
    /// The photo's path; empty when the images were given directly.
    public var photo: String
    /// The loss of the network's output.
    public var network: LossTerms
    /// The loss of the photo itself, where L-BFGS starts (iteration 0).
    public var photoLoss: LossTerms
    /// The loss of the L-BFGS image compared with the network's output: the first iteration's
    /// that is at least as low, or the last one's when none is.
    public var lbfgs: LossTerms
    /// That image's iteration.
    public var lbfgsIteration: Int
    /// L-BFGS iterations to the network's loss, interpolated; when not `reached`, the iterations
    /// run, which the network is worth at least.
    public var equivalentIterations: Double
    public var reached: Bool
    /// Why L-BFGS stopped short of the network's loss before the cap; nil when it reached it or
    /// ran to the cap.
    public var lbfgsStop: String?

    /// The network's content loss over the L-BFGS image's: above 1 the network keeps less of the
    /// photo than the optimisation it is compared with. Nil when the L-BFGS image is the photo.
    public var contentRatio: Double? { lbfgs.content > 0 ? network.content / lbfgs.content : nil }

    enum CodingKeys: String, CodingKey {
        case photo, network, lbfgs, reached
        case photoLoss = "photo_loss"
        case lbfgsIteration = "lbfgs_iteration"
        case equivalentIterations = "equivalent_iterations"
        case lbfgsStop = "lbfgs_stop"
        case contentRatio = "content_ratio"
    }

    public init(photo: String, network: LossTerms, photoLoss: LossTerms, lbfgs: LossTerms, lbfgsIteration: Int,
                equivalentIterations: Double, reached: Bool, lbfgsStop: String?) {
        (self.photo, self.network, self.photoLoss, self.lbfgs) = (photo, network, photoLoss, lbfgs)
        (self.lbfgsIteration, self.equivalentIterations, self.reached, self.lbfgsStop) =
            (lbfgsIteration, equivalentIterations, reached, lbfgsStop)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(photo: try container.decode(String.self, forKey: .photo),
                  network: try container.decode(LossTerms.self, forKey: .network),
                  photoLoss: try container.decode(LossTerms.self, forKey: .photoLoss),
                  lbfgs: try container.decode(LossTerms.self, forKey: .lbfgs),
                  lbfgsIteration: try container.decode(Int.self, forKey: .lbfgsIteration),
                  equivalentIterations: try container.decode(Double.self, forKey: .equivalentIterations),
                  reached: try container.decode(Bool.self, forKey: .reached),
                  lbfgsStop: try container.decodeIfPresent(String.self, forKey: .lbfgsStop))
    }

    /// Every key, `lbfgs_stop` and `content_ratio` as null rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(photo, forKey: .photo)
        try container.encode(network, forKey: .network)
        try container.encode(photoLoss, forKey: .photoLoss)
        try container.encode(lbfgs, forKey: .lbfgs)
        try container.encode(lbfgsIteration, forKey: .lbfgsIteration)
        try container.encode(equivalentIterations, forKey: .equivalentIterations)
        try container.encode(reached, forKey: .reached)
        try container.encode(lbfgsStop, forKey: .lbfgsStop)
        try container.encode(contentRatio, forKey: .contentRatio)
    }
}

/// A model's measurement over several photos, with what it was measured against.
public struct EquivalentIterationsReport: Codable, Sendable, Equatable {
    /// The means over the photos.
    public struct Mean: Codable, Sendable, Equatable {
        /// Photos that did not reach count with their iterations run, so the mean is then a lower bound.
        public var equivalentIterations: Double
        /// How many photos L-BFGS reached the network's loss on.
        public var reached: Int
        public var network: LossTerms
        public var lbfgs: LossTerms
        /// The mean network content loss over the mean L-BFGS one (see `PhotoEquivalence.contentRatio`).
        public var contentRatio: Double?

        enum CodingKeys: String, CodingKey {
            case reached, network, lbfgs
            case equivalentIterations = "equivalent_iterations"
            case contentRatio = "content_ratio"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(equivalentIterations, forKey: .equivalentIterations)
            try container.encode(reached, forKey: .reached)
            try container.encode(network, forKey: .network)
            try container.encode(lbfgs, forKey: .lbfgs)
            try container.encode(contentRatio, forKey: .contentRatio)
        }
    }

    public var model: String
    public var style: String
    public var size: Int
    public var iterationCap: Int
    public var contentLayers: [VGG19.Layer]
    public var styleLayers: [VGG19.Layer]
    public var contentWeight: Float
    public var styleWeight: Float
    public var tvWeight: Float
    /// The painting's longer side as loaded.
    public var styleSize: Int
    public var photos: [PhotoEquivalence]
    public var mean: Mean

    public init(model: String, style: String, configuration: EquivalentIterationsConfiguration,
                training: FastStyleTrainingConfiguration, styleSize: Int, photos: [PhotoEquivalence]) {
        (self.model, self.style, size, iterationCap) = (model, style, configuration.size, configuration.iterationCap)
        (contentLayers, styleLayers) = (training.contentLayers, training.styleLayers)
        (contentWeight, styleWeight, tvWeight) = (training.contentWeight, training.styleWeight, training.tvWeight)
        (self.styleSize, self.photos) = (styleSize, photos)
        let (network, lbfgs) = (LossTerms(meanOf: photos.map(\.network)), LossTerms(meanOf: photos.map(\.lbfgs)))
        mean = Mean(equivalentIterations: photos.map(\.equivalentIterations).reduce(0, +) / Double(max(photos.count, 1)),
                    reached: photos.filter(\.reached).count, network: network, lbfgs: lbfgs,
                    contentRatio: lbfgs.content > 0 ? network.content / lbfgs.content : nil)
    }

    enum CodingKeys: String, CodingKey {
        case model, style, size, photos, mean
        case iterationCap = "iteration_cap"
        case contentLayers = "content_layers"
        case styleLayers = "style_layers"
        case contentWeight = "content_weight"
        case styleWeight = "style_weight"
        case tvWeight = "tv_weight"
        case styleSize = "style_size"
    }
}
