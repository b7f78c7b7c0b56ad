import ImpastoCore

/// VGG19's convolutional part ("notop"): 16 3×3 same-padded convolutions with ReLU, and a 2×2
/// stride-2 pool (floor) before blocks 2–5.
///
/// Callers pass RGB images in [0, 1], `N × 3 × H × W`; the preprocessing the weights were
/// trained with happens inside (see `Preprocessing`), so gradients flow back to the [0, 1] image.
public struct VGG19: Sendable {
    public struct Parameters: Sendable {
        /// `Cout × Cin × 3 × 3` (OIHW).
        public var weight: Tensor
        /// `1 × Cout × 1 × 1`.
        public var bias: Tensor
    }

    public let parameters: [Layer: Parameters]
    public let preprocessing: Preprocessing
    public var pooling: Pooling

    public init(parameters: [Layer: Parameters], preprocessing: Preprocessing, pooling: Pooling = .max) {
        precondition(Set(parameters.keys) == Set(Layer.allCases), "VGG19 needs parameters for all 16 layers")
        self.parameters = parameters
        self.preprocessing = preprocessing
        self.pooling = pooling
    }

    /// The post-ReLU outputs of `layers`, running the network only as deep as the deepest one.
    public func features(of image: Tensor, layers: some Collection<Layer>) -> [Layer: Tensor] {
        precondition(image.shape.c == 3, "VGG19 takes RGB images, not \(image.shape.c) channels")
        guard let deepest = layers.max() else { return [:] }
        let wanted = Set(layers)
        var x = preprocessing.apply(to: image)
        var outputs: [Layer: Tensor] = [:]
        for layer in Layer.allCases where layer <= deepest {
            if layer.indexInBlock == 1 && layer.block > 1 { x = x.pooled(pooling) }
            let p = parameters[layer]!
            x = conv2dReLU(x, weight: p.weight, bias: p.bias, stride: 1, padding: 1)
            if wanted.contains(layer) { outputs[layer] = x }
        }
        return outputs
    }

    /// The smallest image side that still leaves at least one pixel at `layer` (four floor pools
    /// before block 5 halve it each time).
    public static func minimumSide(for layer: Layer) -> Int { 1 << (layer.block - 1) }
}
