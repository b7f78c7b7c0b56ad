import ImpastoCore
import ImpastoModels

/// VGG19 run forward over an image tile by tile, keeping only what the whole image's features
/// would give: the Gram matrices of whole layers, or the layers themselves stitched together
/// from the tiles' interiors. Only one tile's activations are held at a time.
struct TiledFeatures {
    let network: VGG19
    let settings: TileSettings

    /// `styleGram` of each layer's features of the whole image: the sum over the tiles of their
    /// interiors' `FᵀF`, divided by the whole layer's `H·W`.
    func grams(of image: Tensor, layers: [VGG19.Layer]) -> [VGG19.Layer: Tensor] {
        let grid = self.grid(for: image, layers: layers)
        var grams: [VGG19.Layer: Tensor] = [:]
        for tile in grid.tiles {
            let features = network.features(of: image.detached().cropped(to: tile.window), layers: layers)
            for layer in layers {
                let part = features[layer]!.cropped(to: grid.interiorFeatures(of: tile, at: layer))
                let gram = gramMatrix(part, divisor: Float(Self.positions(at: layer, height: grid.height, width: grid.width)))
                grams[layer] = grams[layer].map { $0 + gram } ?? gram
            }
        }
        return grams
    }

    /// Each layer's features of the whole image, NCHW, assembled from the tiles' interiors.
    func features(of image: Tensor, layers: [VGG19.Layer]) -> [VGG19.Layer: Tensor] {
        let grid = self.grid(for: image, layers: layers)
        var stitched: [VGG19.Layer: Tensor] = [:]
        for tile in grid.tiles {
            let features = network.features(of: image.detached().cropped(to: tile.window), layers: layers)
            for layer in layers {
                let part = features[layer]!.cropped(to: grid.interiorFeatures(of: tile, at: layer))
                let stride = VGG19.minimumSide(for: layer)
                stitched[layer, default: Tensor(zeros: Shape(image.shape.n, part.shape.c, grid.height / stride,
                                                             grid.width / stride))]
                    .add(part, at: grid.wholeImageFeatures(of: tile, at: layer))
            }
        }
        return stitched
    }

    func grid(for image: Tensor, layers: [VGG19.Layer]) -> TileGrid {
        TileGrid(height: image.shape.h, width: image.shape.w, settings: settings, deepest: layers.max() ?? .block1_conv1)
    }

    /// Feature positions (H·W) of `layer` for a `height × width` image: each pool floors.
    static func positions(at layer: VGG19.Layer, height: Int, width: Int) -> Int {
        let stride = VGG19.minimumSide(for: layer)
        return (height / stride) * (width / stride)
    }
}
