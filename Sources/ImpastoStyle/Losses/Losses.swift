import ImpastoCore

/// The losses of Gatys et al. as the reference tutorial writes them. Each is a pure function
/// of features and a precomputed target.

/// mean((F − F_target)²) over all elements.
public func contentLoss(_ features: Tensor, target: Tensor) -> Tensor {
    meanSquaredError(features, target)
}

/// The Gram matrix the tutorial uses: `FᵀF / (H·W)` per image (`einsum('bijc,bijd->bcd') /
/// num_locations`). Departs from Gatys et al., who leave it unnormalised and divide the loss
/// by 4N²M² instead; the tutorial's weights assume this form.
public func styleGram(_ features: Tensor) -> Tensor {
    gramMatrix(features, divisor: Float(features.shape.h * features.shape.w))
}

/// mean((G − G_target)²) over the C×C entries.
public func styleLoss(_ features: Tensor, targetGram: Tensor) -> Tensor {
    meanSquaredError(styleGram(features), targetGram)
}
