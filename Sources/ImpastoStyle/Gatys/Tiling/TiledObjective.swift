import ImpastoCore
import ImpastoModels

/// `StyleObjective`'s value and gradient computed tile by tile, so that VGG19's activations and
/// their gradients are held for one tile at a time while the image and its gradient stay whole.
///
/// The style loss needs the Gram matrices of the whole image, so an evaluation makes two passes:
/// 1. forward over the tiles, summing each style layer's Gram over the tiles' interiors
///    (`TiledFeatures.grams`), which gives each style loss and its gradient with respect to the
///    Gram, `∂L/∂G = 2·w·(G − A)/C²`;
/// 2. forward and backward per tile, of a surrogate whose gradient is the loss's: each style
///    layer's interior Gram against that fixed `∂L/∂G` (`innerProduct`), plus the content loss
///    of the interior, which is local.
/// Only interiors contribute, and their features see a halo of real neighbours, so the sum is the
/// untiled objective (exactly when the halo is the layers' reach) and no seam is made. Total
/// variation is cheap and taken over the whole image at once.
struct TiledObjective {
    let objective: StyleObjective
    let settings: TileSettings

    private var features: TiledFeatures { TiledFeatures(network: objective.network, settings: settings) }
    private var layers: [VGG19.Layer] { Array(objective.contentTargets.keys) + Array(objective.styleTargets.keys) }

    /// The grid an image of this shape is evaluated on.
    func grid(for image: Tensor) -> TileGrid { features.grid(for: image, layers: layers) }

    /// The loss report at `image` and the gradient (NCHW) of the loss with the style weight times
    /// `styleScale`, as `StyleObjective.valueAndGradient` gives them.
    func valueAndGradient(at image: Tensor, styleScale: Float) -> (report: LossReport, gradient: Tensor) {
        let image = image.laidOut(as: .nchw).detached()
        let grid = grid(for: image)
        let styles = styleSensitivities(of: image, styleScale: styleScale)
        let marked = image.requiringGradient()
        let variation = totalVariation(marked)
        var gradient = gradients(of: variation.scaled(by: objective.weights.totalVariation), withRespectTo: [marked])[0]
        var contentLosses: [VGG19.Layer: Double] = [:]
        for tile in grid.tiles {
            gradient.add(tileGradient(tile, of: image, grid: grid, styles: styles, contentLosses: &contentLosses),
                         at: tile.window)
        }
        let report = objective.report(contentLosses: contentLosses.mapValues(Float.init),
                                      styleLosses: styles.mapValues(\.loss), totalVariation: variation.item)
        return (report, gradient)
    }

    /// Pass 2 for one tile: the gradient with respect to its window's pixels of its interior's
    /// content losses and of its interior's Grams against the style sensitivities. Adds the
    /// interior's share of each content loss to `contentLosses`.
    private func tileGradient(_ tile: TileGrid.Tile, of image: Tensor, grid: TileGrid,
                              styles: [VGG19.Layer: StyleSensitivity], contentLosses: inout [VGG19.Layer: Double]) -> Tensor {
        let leaf = image.cropped(to: tile.window).requiringGradient()
        let features = objective.network.features(of: leaf, layers: layers)
        var terms: [Tensor] = []
        for (layer, target) in objective.contentTargets {
            let part = features[layer]!.cropped(to: grid.interiorFeatures(of: tile, at: layer))
            let share = Float(part.shape.count) / Float(target.shape.count)
            let loss = contentLoss(part, target: target.cropped(to: grid.wholeImageFeatures(of: tile, at: layer)))
            contentLosses[layer, default: 0] += Double(loss.item * share)
            terms.append(loss.scaled(by: objective.contentScale * share))
        }
        for (layer, style) in styles {
            let part = features[layer]!.cropped(to: grid.interiorFeatures(of: tile, at: layer))
            let positions = TiledFeatures.positions(at: layer, height: grid.height, width: grid.width)
            terms.append(innerProduct(gramMatrix(part, divisor: Float(positions)), constant: style.sensitivity))
        }
        guard let first = terms.first else { return Tensor(zeros: leaf.shape) }
        return gradients(of: terms.dropFirst().reduce(first, +), withRespectTo: [leaf])[0]
    }

    /// A style layer's loss at an image and the gradient with respect to its whole-image Gram
    /// of the weighted loss.
    private struct StyleSensitivity {
        var loss: Float
        var sensitivity: Tensor
    }

    /// Each style layer's `StyleSensitivity` at `image`, with the style weight times `styleScale`.
    private func styleSensitivities(of image: Tensor, styleScale: Float) -> [VGG19.Layer: StyleSensitivity] {
        guard !objective.styleTargets.isEmpty else { return [:] }
        let grams = features.grams(of: image, layers: Array(objective.styleTargets.keys))
        return Dictionary(uniqueKeysWithValues: objective.styleTargets.map { layer, target in
            let gram = grams[layer]!
            // ∂/∂G of w · mean((G − A)²) over the C×C entries.
            let scale = 2 * objective.styleScale(of: layer) * styleScale / Float(gram.shape.count)
            let sensitivity = zip(gram.scalars, target.scalars).map { scale * ($0 - $1) }
            return (layer, StyleSensitivity(loss: meanSquaredError(gram, target).item,
                                            sensitivity: Tensor(shape: gram.shape, scalars: sensitivity)))
        })
    }
}
