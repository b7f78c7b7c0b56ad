extension LBFGS {
    /// The starting inverse Hessian H₀ that the two-loop recursion refines with the history.
    public enum StartingHessian: String, Sendable, Codable, CaseIterable {
        /// γI, γ = sᵀy / yᵀy from the newest pair (Nocedal & Wright eq. 7.20; PyTorch's choice).
        case scalar
        /// γD: D weighs each coordinate (the basis's, when there is one) by the inverse of its
        /// running RMS gradient, as Adam scales its steps, and γ = 2 sᵀy / yᵀDy (see
        /// `scaleFactor`). On style transfer the gradient's size varies widely across the image,
        /// and L-BFGS reached the reference's loss in 14–25 % fewer iterations with it (docs/benchmarks.md).
        case diagonal

        /// The multiple of sᵀy / yᵀ(D)y taken as γ. That ratio fits H₀y ≈ s in least squares and
        /// errs short: with it the unit step was accepted at once but the slope there was still
        /// up to half the starting slope, so the line's minimum lay beyond it. Doubling γ took
        /// 8 % off the iterations to the reference's loss (172 → 158; 1.5×: 167, 2.5×: 155,
        /// 3×: 157, 4×: 158 with more line-search evaluations; a factor adapted from each line
        /// search's slopes settled near 2 by itself); on Tübingen with The Great Wave the loss after
        /// 150 iterations fell from 2.95e6 to 2.85e6. The scalar form stays the textbook's.
        var scaleFactor: Double {
            switch self {
            case .scalar: 1
            case .diagonal: 2
            }
        }
    }
}

/// The diagonal D of `StartingHessian.diagonal`: Dᵢ ∝ 1 / (rᵢ / r̄ + floor), where rᵢ is the
/// root of an exponential average of coordinate i's squared gradients and r̄ their mean; D has
/// mean 1, so γ keeps the scale that the curvature pairs measure.
///
/// D changes every iteration, so the implied inverse Hessian is not one BFGS update of the last;
/// it stays positive definite (D > 0, and pairs with yᵀs ≤ 0 are skipped). Freezing D after 30 or
/// 80 iterations did worse than letting it follow the gradient.
struct GradientScaling: Sendable {
    /// The average's decay per iteration; 0.6–0.9 did about equally well, 0.5 and 0.95 worse.
    static let decay: Float = 0.9
    /// Keeps coordinates whose gradient is near zero from taking huge steps; 0.01–0.1 did
    /// about equally well, 0.001 worse.
    static let floor: Float = 0.03

    /// Exponential average of each coordinate's squared gradient. No bias correction is needed:
    /// it would scale every rᵢ and r̄ alike.
    var meanSquares: [Float] = []
    /// D, from the latest `update`.
    private(set) var weights: [Float] = []

    /// Folds in this iteration's gradient and recomputes D in place (image-sized arrays are
    /// reused: allocating them every iteration costs page faults).
    mutating func update(with gradient: [Float]) {
        if meanSquares.count != gradient.count { meanSquares = [Float](repeating: 0, count: gradient.count) }
        if weights.count != gradient.count { weights = [Float](repeating: 0, count: gradient.count) }
        let decay = Self.decay
        for i in gradient.indices {
            meanSquares[i] = decay * meanSquares[i] + (1 - decay) * gradient[i] * gradient[i]
            weights[i] = meanSquares[i].squareRoot()
        }
        let meanRoot = sum(weights) / Double(weights.count)
        guard meanRoot > 0 else {
            for i in weights.indices { weights[i] = 1 }
            return
        }
        let inverseMean = Float(1 / meanRoot)
        for i in weights.indices { weights[i] = 1 / (weights[i] * inverseMean + Self.floor) }
        scale(&weights, by: Float(Double(weights.count) / sum(weights)))
    }
}
