import ImpastoModels

extension TileSettings {
    /// The memory a tiled step holds per pixel of a tile's window, per float of VGG19 activation
    /// it keeps for the backward pass: the activations themselves, the gradients flowing back
    /// through them, oneDNN's reorders and the buffers `BufferPool` keeps: 19–21 measured at
    /// 1024×768 untiled and tiled, and at 2048×1536 tiled (docs/tiling.md).
    static let bytesPerActivationFloat = 21

    /// What a process holds besides the tile's activations: VGG19's weights, oneDNN and the
    /// runtime; 210–285 MB measured before the first step (docs/tiling.md).
    static let fixedBytes = 300 << 20

    /// The floats of activation one input pixel costs up to `deepest`: each convolution's output
    /// (its ReLU is fused), each pool's output, at their resolution, and the image with its
    /// preprocessed copy.
    static func activationFloatsPerPixel(to deepest: VGG19.Layer) -> Double {
        var floats = 6.0
        for layer in VGG19.Layer.allCases where layer <= deepest {
            let positionsPerPixel = 1 / Double(VGG19.minimumSide(for: layer) * VGG19.minimumSide(for: layer))
            if layer.indexInBlock == 1 && layer.block > 1 { floats += Double(layer.inputChannels) * positionsPerPixel }
            floats += Double(layer.outputChannels) * positionsPerPixel
        }
        return floats
    }

    /// The peak memory, in bytes, of one tile's forward and backward pass to `deepest` when the
    /// tile's window is `windowSide` pixels square. The whole image's own buffers (the image, its
    /// gradient, the optimiser's state: Adam's two moments, L-BFGS's 2 × history-size vectors)
    /// come on top; a memory planner adds them.
    public static func peakBytes(windowSide: Int, to deepest: VGG19.Layer) -> Int {
        let perPixel = activationFloatsPerPixel(to: deepest) * Double(bytesPerActivationFloat)
        return fixedBytes + Int(perPixel * Double(windowSide * windowSide))
    }

    /// The largest tiling whose pass to `deepest` (the tutorial's `block5_conv2` unless given)
    /// fits in `budget` bytes, with the exact halo; nil when not even a 16-pixel tile does.
    /// Sizes are whole pooling strides, as `TileGrid` would round them.
    public static func fitting(memoryBudget budget: Int, to deepest: VGG19.Layer = .block5_conv2) -> TileSettings? {
        let stride = VGG19.minimumSide(for: deepest)
        let halo = TileSettings().effectiveHalo(for: deepest)
        let bytesPerPixel = activationFloatsPerPixel(to: deepest) * Double(bytesPerActivationFloat)
        let pixels = Double(budget - fixedBytes) / bytesPerPixel
        guard pixels > 0 else { return nil }
        let size = (Int(pixels.squareRoot()) - 2 * halo) / stride * stride
        return size >= max(16, stride) ? TileSettings(size: size) : nil
    }
}
