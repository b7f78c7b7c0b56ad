import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels

/// Settings of a fast-style training run (Johnson et al. 2016 with instance norm).
public struct FastStyleTrainingConfiguration: Sendable, Codable, Equatable {
    public var imageSize = 256
    public var batchSize = 4
    public var learningRate: Float = 1e-3
    /// relu2_2 for content and relu1_2…relu4_3 for style, as in the paper.
    public var contentLayers: [VGG19.Layer] = [.block2_conv2]
    public var styleLayers: [VGG19.Layer] = [.block1_conv2, .block2_conv2, .block3_conv3, .block4_conv3]
    /// For Impasto's VGG19 (Caffe preprocessing, Grams divided by C·H·W), chosen by trial here:
    /// with these the content and style terms are of one size after a few dozen steps (with
    /// 30 / 1000 the style term was 10× the content and the photos' shapes faded).
    public var contentWeight: Float = 200
    public var styleWeight: Float = 500
    public var tvWeight: Float = 0
    /// The weight of the temporal loss on warped pairs of each batch (`temporalLoss`); 0 leaves
    /// it out, so the step is exactly the one without it.
    public var temporalWeight: Float = 0
    /// The style image's longer side; nil keeps its size (up to 512).
    public var styleSize: Int?
    public var iterations = 2000
    public var seed: UInt64 = 0
    public var baseChannels = 32
    /// Random zoomed, placed and mirrored crops instead of centre crops; nil: centre crops.
    public var augmentation: TrainingAugmentation?

    public init() {}

    /// Throws the first setting that cannot work, naming it.
    public func validate() throws {
        func require(_ condition: Bool, _ setting: String, _ problem: String) throws {
            if !condition { throw ConfigurationError(setting: setting, problem: problem) }
        }
        try require(imageSize >= 16 && imageSize % 4 == 0, "imageSize", "must be a multiple of 4, at least 16")
        try require(batchSize >= 1, "batchSize", "must be at least 1")
        try require(learningRate.isFinite && learningRate > 0, "learningRate", "must be a positive number")
        for (value, setting) in [(contentWeight, "contentWeight"), (styleWeight, "styleWeight"), (tvWeight, "tvWeight"),
                                 (temporalWeight, "temporalWeight")] {
            try require(value.isFinite && value >= 0, setting, "must be a finite number ≥ 0")
        }
        try require(styleSize.map { $0 >= 16 } ?? true, "styleSize", "must be at least 16")
        try require(iterations >= 1, "iterations", "must be at least 1")
        try require(baseChannels >= 1, "baseChannels", "must be at least 1")
        try require(!contentLayers.isEmpty || !styleLayers.isEmpty, "contentLayers", "and the style layers are both empty")
        try augmentation?.validate()
    }
}

extension FastStyleTrainingConfiguration {
    /// Every setting the file holds, and the default for any it lacks, so that checkpoints and
    /// models written before a setting existed (`temporalWeight`) still load and resume.
    public init(from decoder: any Decoder) throws {
        self.init()
        let file = try decoder.container(keyedBy: CodingKeys.self)
        func read<Value: Decodable>(_ key: CodingKeys, _ value: inout Value) throws {
            value = try file.decodeIfPresent(Value.self, forKey: key) ?? value
        }
        try read(.imageSize, &imageSize)
        try read(.batchSize, &batchSize)
        try read(.learningRate, &learningRate)
        try read(.contentLayers, &contentLayers)
        try read(.styleLayers, &styleLayers)
        try read(.contentWeight, &contentWeight)
        try read(.styleWeight, &styleWeight)
        try read(.tvWeight, &tvWeight)
        try read(.temporalWeight, &temporalWeight)
        styleSize = try file.decodeIfPresent(Int.self, forKey: .styleSize)
        try read(.iterations, &iterations)
        try read(.seed, &seed)
        try read(.baseChannels, &baseChannels)
        augmentation = try file.decodeIfPresent(TrainingAugmentation.self, forKey: .augmentation)
    }
}

/// The perceptual loss of one batch, by term.
public struct TrainingLoss: Sendable, Equatable {
    public var content: Double
    public var style: Double
    public var totalVariation: Double
    /// The weighted temporal loss; 0 when the run has none.
    public var temporal: Double = 0
    public var total: Double { content + style + totalVariation + temporal }
}

/// Trains a TransformerNet for one style: each iteration stylises a batch of photos, scores
/// the result with VGG19 (content against the photos' own features, style against the
/// painting's Grams, plus total variation, plus the temporal loss when it has a weight) and
/// takes one Adam step on the network.
public struct FastStyleTrainer: Sendable {
    public let configuration: FastStyleTrainingConfiguration
    public private(set) var network: TransformerNet
    public private(set) var optimizer: ParameterAdam
    /// Iterations done.
    public private(set) var iteration = 0
    private let vgg: VGG19
    private let styleGrams: [VGG19.Layer: Tensor]

    public init(configuration: FastStyleTrainingConfiguration, vgg: VGG19, style: Tensor) {
        self.configuration = configuration
        self.vgg = vgg
        network = TransformerNet(seed: configuration.seed, baseChannels: configuration.baseChannels)
        optimizer = ParameterAdam(learningRate: configuration.learningRate)
        let features = vgg.features(of: style, layers: configuration.styleLayers)
        styleGrams = features.mapValues { gramMatrix($0, divisor: Float($0.shape.c * $0.shape.h * $0.shape.w)).detached() }
    }

    /// One training step on `batch` (`N × 3 × S × S` in [0, 1]); returns the loss before it.
    public mutating func step(_ batch: Tensor) -> TrainingLoss {
        let proposal = proposedStep(batch)
        commit(proposal)
        return proposal.loss
    }

    /// `step`, refused when its loss or the weights it makes are NaN or infinite: it then throws
    /// `DivergenceError.training` naming the step and changes nothing, so the network and its
    /// optimiser still hold the last good model (a NaN network would stylise every photo black).
    public mutating func checkedStep(_ batch: Tensor) throws(DivergenceError) -> TrainingLoss {
        let proposal = proposedStep(batch)
        guard proposal.loss.total.isFinite else { throw .training(value: .loss, step: iteration + 1) }
        let broken = proposal.parameters.keys.sorted().first { name in
            proposal.parameters[name]!.withUnsafeBufferPointer { !$0.allSatisfy(\.isFinite) }
        }
        if let broken { throw .training(value: .weights(broken), step: iteration + 1) }
        commit(proposal)
        return proposal.loss
    }

    /// A step's outcome before it is taken: the loss, and the parameters and optimiser after it.
    private struct Proposal {
        var loss: TrainingLoss
        var parameters: [String: Tensor]
        var optimizer: ParameterAdam
    }

    private func proposedStep(_ batch: Tensor) -> Proposal {
        let parameters = network.parameters.mapValues { $0.detached().requiringGradient() }
        let names = parameters.keys.sorted()
        let differentiable = try! network.replacing(parameters)
        let stylised = differentiable(batch)
        var (loss, parts) = perceptualLoss(of: stylised, photos: batch)
        if configuration.temporalWeight > 0 {
            let warps = SimilarityWarp.random(count: batch.shape.n, seed: configuration.seed, iteration: iteration)
            let temporal = temporalLoss(of: differentiable, photos: batch, stylised: stylised, warps: warps)
            loss = loss + temporal
            parts.temporal = Double(temporal.item)
        }
        let gradientList = gradients(of: loss, withRespectTo: names.map { parameters[$0]! })
        var updated = network.parameters.mapValues { $0.detached() }
        var optimizer = optimizer
        optimizer.update(&updated, gradients: Dictionary(uniqueKeysWithValues: zip(names, gradientList)))
        return Proposal(loss: parts, parameters: updated, optimizer: optimizer)
    }

    private mutating func commit(_ proposal: Proposal) {
        network = try! network.replacing(proposal.parameters)
        optimizer = proposal.optimizer
        iteration += 1
    }

    /// The loss of stylised images against the photos they came from, with its parts.
    public func perceptualLoss(of stylised: Tensor, photos: Tensor) -> (Tensor, TrainingLoss) {
        let layers = Set(configuration.contentLayers + configuration.styleLayers)
        let features = vgg.features(of: stylised, layers: layers)
        let targets = vgg.features(of: photos.detached(), layers: configuration.contentLayers).mapValues { $0.detached() }
        let batch = stylised.shape.n
        var content = Tensor(zeros: .scalar)
        for layer in configuration.contentLayers {
            content = content + meanSquaredError(features[layer]!, targets[layer]!)
        }
        var style = Tensor(zeros: .scalar)
        for layer in configuration.styleLayers {
            let f = features[layer]!
            let gram = gramMatrix(f, divisor: Float(f.shape.c * f.shape.h * f.shape.w))
            style = style + meanSquaredError(gram, repeated(styleGrams[layer]!, batch))
        }
        let weightedContent = content.scaled(by: configuration.contentWeight)
        let weightedStyle = style.scaled(by: configuration.styleWeight)
        let tv = totalVariation(stylised).scaled(by: configuration.tvWeight / Float(batch))
        let total = weightedContent + weightedStyle + tv
        return (total, TrainingLoss(content: Double(weightedContent.item), style: Double(weightedStyle.item),
                                    totalVariation: Double(tv.item)))
    }

    private func repeated(_ gram: Tensor, _ count: Int) -> Tensor {
        guard count > 1 else { return gram }
        let values = gram.laidOut(as: .nchw).scalars
        return Tensor(shape: Shape(count, gram.shape.c, gram.shape.h, gram.shape.w),
                      scalars: Array((0..<count).map { _ in values }.joined()))
    }

    // MARK: Checkpoints

    /// Network, optimiser, iteration and settings, exactly.
    public func archive() throws -> StateArchive {
        var archive = StateArchive()
        try archive.set("configuration", json: configuration)
        archive.set("iteration", iteration)
        for (name, tensor) in network.parameters {
            archive.set("network." + name, floats: tensor.laidOut(as: .nchw).scalars, shape: tensor.shape.dims)
        }
        optimizer.archive(into: &archive, prefix: "adam.")
        return archive
    }

    public static func configuration(of archive: StateArchive) throws -> FastStyleTrainingConfiguration {
        try archive.decoded("configuration")
    }

    /// Continues from `archive(…)` of a run with the same settings.
    public mutating func restore(from archive: StateArchive) throws {
        iteration = try archive.value("iteration")
        var parameters: [String: Tensor] = [:]
        for (name, shape) in TransformerNet.parameterShapes(baseChannels: configuration.baseChannels) {
            parameters[name] = Tensor(shape: shape, scalars: try archive.floats("network." + name))
        }
        network = try network.replacing(parameters)
        optimizer = try ParameterAdam(from: archive, prefix: "adam.")
    }
}
