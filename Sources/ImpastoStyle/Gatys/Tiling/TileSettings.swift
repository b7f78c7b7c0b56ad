import ImpastoModels

/// How a stylisation splits its image into tiles for VGG19, so that only one tile's activations
/// (and their gradients) are held at a time; the image, its gradient and the optimiser's state
/// stay whole (see `TiledObjective`).
public struct TileSettings: Sendable, Codable, Equatable {
    /// The side `--tile` uses when it is given no size: a 512-pixel tile with the exact halo of
    /// the tutorial's layers is 736 pixels across, about a sixth of the memory of a 2048×1536
    /// image untiled (docs/tiling.md).
    public static let standardSize = 512

    /// The side of a tile's interior in pixels (rounded up to a multiple of the network's
    /// pooling stride at the deepest layer).
    public var size: Int
    /// Pixels of context around each interior; nil: the reach of the deepest layer
    /// (`exactHalo(for:)`), which makes the tiled objective equal to the untiled one. A smaller
    /// halo is cheaper and approximate.
    public var halo: Int?

    public init(size: Int = standardSize, halo: Int? = nil) {
        self.size = size
        self.halo = halo
    }

    /// The halo tiles get for features up to `deepest`: the given one or the exact one, rounded
    /// up to the pooling stride so that every tile's pools line up with the whole image's.
    public func effectiveHalo(for deepest: VGG19.Layer) -> Int {
        let stride = VGG19.minimumSide(for: deepest)
        return ((halo ?? Self.exactHalo(for: deepest)) + stride - 1) / stride * stride
    }

    /// How far, in input pixels, a layer's features see beyond the pixels they sit on: each
    /// 3×3 same-padded convolution adds one pixel of its own resolution on each side and each
    /// 2×2 pool one more (conservatively), so a tile edge's zero padding cannot reach features
    /// further than this from it. 101 pixels for `block5_conv2`.
    public static func exactHalo(for deepest: VGG19.Layer) -> Int {
        var (reach, stride) = (0, 1)
        for layer in VGG19.Layer.allCases where layer <= deepest {
            if layer.indexInBlock == 1 && layer.block > 1 {
                reach += stride
                stride *= 2
            }
            reach += stride
        }
        return reach
    }

    /// Throws the first setting that cannot work, named as in the configuration (`tile.size`).
    public func validate() throws {
        guard size >= 16 else {
            throw ConfigurationError(setting: "tile.size", problem: "must be at least 16 pixels, not \(size)")
        }
        if let halo, halo < 0 {
            throw ConfigurationError(setting: "tile.halo", problem: "must be 0 or more pixels, not \(halo)")
        }
    }
}
