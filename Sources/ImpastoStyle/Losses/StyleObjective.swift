import ImpastoCore
import ImpastoModels

/// The weights of the reference loss, with the tutorial's values as defaults.
public struct LossWeights: Sendable, Codable, Equatable {
    public var content: Float = 1e4
    public var style: Float = 1e-2
    public var totalVariation: Float = 4e-4

    public init(content: Float = 1e4, style: Float = 1e-2, totalVariation: Float = 4e-4) {
        self.content = content
        self.style = style
        self.totalVariation = totalVariation
    }
}

/// One evaluation's loss, split the way users and the golden numbers report it.
public struct LossReport: Sendable, Codable, Equatable {
    /// content weight / n · Σ content losses.
    public var content: Double
    /// style weight / n · Σ layer weight · style loss.
    public var style: Double
    /// TV weight · total variation.
    public var totalVariation: Double
    /// Unweighted loss per layer, keyed `content/LAYER` and `style/LAYER`.
    public var perLayer: [String: Double]

    public var total: Double { total(styleScale: 1) }

    /// The total with the style term times `styleScale` (a warm-up's objective).
    public func total(styleScale: Double) -> Double { content + styleScale * style + totalVariation }
}

/// The objective of the reference Gatys loop: content features of the content image and style
/// Grams of the style image, computed once, against which any image is scored.
///
/// loss = w_c/n_c · Σ_l mean((F_l − P_l)²) + w_s/n_s · Σ_l λ_l · mean((G_l − A_l)²) + w_tv · TV(image)
public struct StyleObjective: Sendable {
    public let network: VGG19
    public let weights: LossWeights
    public let contentTargets: [VGG19.Layer: Tensor]
    public let styleTargets: [VGG19.Layer: Tensor]
    /// λ_l per style layer (1 for every layer in the reference).
    public let styleLayerWeights: [VGG19.Layer: Float]

    /// When set, `valueAndGradient` runs the network tile by tile (see `TiledObjective`), and
    /// the targets were computed tile by tile too, so no image is ever run through it whole.
    public let tiling: TileSettings?

    public init(network: VGG19, content: Tensor, style: Tensor, contentLayers: [VGG19.Layer],
                styleLayers: [VGG19.Layer: Float], weights: LossWeights, tiling: TileSettings? = nil) {
        self.init(network: network, content: content, styles: [(style, 1)], contentLayers: contentLayers,
                  styleLayers: styleLayers, weights: weights, tiling: tiling)
    }

    /// Several styles blended: each layer's target Gram is the blend-weighted mean of the styles'
    /// Grams (as neural-style blends them); the weights are normalised to sum to 1.
    public init(network: VGG19, content: Tensor, styles: [(image: Tensor, weight: Float)], contentLayers: [VGG19.Layer],
                styleLayers: [VGG19.Layer: Float], weights: LossWeights, tiling: TileSettings? = nil) {
        precondition(!styles.isEmpty, "StyleObjective needs at least one style image")
        self.network = network
        self.weights = weights
        self.tiling = tiling
        let tiled = tiling.map { TiledFeatures(network: network, settings: $0) }
        contentTargets = (tiled?.features(of: content, layers: contentLayers)
            ?? network.features(of: content, layers: contentLayers)).mapValues { $0.detached() }
        let total = styles.map(\.weight).reduce(0, +)
        let grams = styles.map { style in
            let layers = Array(styleLayers.keys)
            let grams = tiled?.grams(of: style.image, layers: layers)
                ?? network.features(of: style.image, layers: layers).mapValues(styleGram)
            return grams.mapValues { $0.detached().scaled(by: style.weight / total) }
        }
        styleTargets = grams.dropFirst().reduce(grams[0]) { blended, next in
            blended.merging(next) { $0 + $1 }
        }
        styleLayerWeights = styleLayers
    }

    /// w_c/n_c: the factor on each content layer's loss.
    var contentScale: Float { weights.content / Float(max(contentTargets.count, 1)) }

    /// w_s/n_s · λ_l: the factor on style layer `layer`'s loss.
    func styleScale(of layer: VGG19.Layer) -> Float {
        weights.style / Float(max(styleTargets.count, 1)) * styleLayerWeights[layer, default: 1]
    }

    /// The report of the unweighted losses per layer and the unweighted total variation.
    func report(contentLosses: [VGG19.Layer: Float], styleLosses: [VGG19.Layer: Float], totalVariation: Float) -> LossReport {
        var perLayer: [String: Double] = [:]
        var (contentTotal, styleTotal) = (0.0, 0.0)
        for (layer, loss) in contentLosses.sorted(by: { $0.key < $1.key }) {
            perLayer["content/\(layer.rawValue)"] = Double(loss)
            contentTotal += Double(contentScale * loss)
        }
        for (layer, loss) in styleLosses.sorted(by: { $0.key < $1.key }) {
            perLayer["style/\(layer.rawValue)"] = Double(loss)
            styleTotal += Double(styleScale(of: layer) * loss)
        }
        return LossReport(content: contentTotal, style: styleTotal,
                          totalVariation: Double(weights.totalVariation * totalVariation), perLayer: perLayer)
    }

    /// The loss at `image` (differentiable when the image is) and its report. `styleScale`
    /// multiplies the style weight in the loss but not in the report, which stays the loss itself.
    public func evaluate(_ image: Tensor, styleScale extraStyleScale: Float = 1) -> (loss: Tensor, report: LossReport) {
        let features = network.features(of: image, layers: Array(contentTargets.keys) + Array(styleTargets.keys))
        var terms: [Tensor] = []
        var contentLosses: [VGG19.Layer: Float] = [:]
        for (layer, target) in contentTargets.sorted(by: { $0.key < $1.key }) {
            let loss = contentLoss(features[layer]!, target: target)
            contentLosses[layer] = loss.item
            terms.append(loss.scaled(by: contentScale))
        }
        var styleLosses: [VGG19.Layer: Float] = [:]
        for (layer, target) in styleTargets.sorted(by: { $0.key < $1.key }) {
            let loss = styleLoss(features[layer]!, targetGram: target)
            styleLosses[layer] = loss.item
            terms.append(loss.scaled(by: styleScale(of: layer) * extraStyleScale))
        }
        let variation = totalVariation(image)
        terms.append(variation.scaled(by: weights.totalVariation))
        let report = report(contentLosses: contentLosses, styleLosses: styleLosses, totalVariation: variation.item)
        return (terms.dropFirst().reduce(terms[0], +), report)
    }

    /// The loss report at `image` and the gradient with respect to the image (NCHW) of the loss
    /// with the style weight times `styleScale`: tile by tile when `tiling` is set and the image
    /// takes more than one tile, else in one pass.
    public func valueAndGradient(at image: Tensor, styleScale: Float = 1) -> (report: LossReport, gradient: Tensor) {
        if let tiling {
            let tiled = TiledObjective(objective: self, settings: tiling)
            if tiled.grid(for: image).tiles.count > 1 { return tiled.valueAndGradient(at: image, styleScale: styleScale) }
        }
        let marked = image.detached().requiringGradient()
        let (loss, report) = evaluate(marked, styleScale: styleScale)
        return (report, gradients(of: loss, withRespectTo: [marked])[0])
    }
}
