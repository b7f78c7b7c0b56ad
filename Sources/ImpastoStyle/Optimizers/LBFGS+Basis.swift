/// A linear map z ↦ P z onto the optimised vector from coordinates in which L-BFGS's starting
/// inverse Hessian is simple (for images, a `PixelPyramid`'s levels).
///
/// With a basis, L-BFGS takes H₀ = γ P D Pᵀ (D the diagonal of `StartingHessian.diagonal`, or
/// the identity), and its curvature pairs stay in x. That gives the iterates of L-BFGS over z on
/// f(P z) with H₀ = γ D (Nocedal & Wright §6.1's change of variables: sᵢ is P times the z-step,
/// and the z-gradients are Pᵀ times x's), but when P maps more numbers to fewer, as a pyramid
/// does (4/3 of the pixels), the history takes that much less memory and the recursion that much
/// less time, for three applications of Pᵀ and one of P per iteration (over z, one of each per
/// evaluation).
public protocol LBFGSBasis: Sendable {
    /// P z.
    func expanded(_ coordinates: [Float]) -> [Float]
    /// Pᵀ v: a gradient with respect to x as one with respect to the coordinates.
    func contracted(_ vector: [Float]) -> [Float]
}

extension LBFGS {
    /// `vector` as the coordinates' gradient (Pᵀ v), or itself without a basis.
    func contracted(_ vector: [Float]) -> [Float] {
        basis?.contracted(vector) ?? vector
    }

    /// v ← H₀ v = γ P D Pᵀ v; without a basis γ D v, in place. D is the identity for `.scalar`.
    func applyStartingInverseHessian(to vector: inout [Float]) {
        guard let basis else { return scaleByDiagonal(&vector) }
        var coordinates = basis.contracted(vector)
        scaleByDiagonal(&coordinates)
        vector = basis.expanded(coordinates)
    }

    /// v ← γ D v.
    private func scaleByDiagonal(_ vector: inout [Float]) {
        scale(&vector, by: Float(hessianScale))
        if let weights = gradientScaling?.weights { multiply(&vector, by: weights) }
    }

    /// γ = k sᵀy / (Pᵀy)ᵀ D (Pᵀy): the multiple of the least-squares fit H₀ y ≈ s.
    func fittedHessianScale(gradientChange: [Float], curvature: Double) -> Double {
        let change = contracted(gradientChange)
        return startingHessian.scaleFactor * curvature / weightedDot(change, change, weights: gradientScaling?.weights)
    }
}
