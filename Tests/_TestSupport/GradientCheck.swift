import ImpastoCore

/// One element whose tape gradient disagrees with the finite-difference gradient.
public struct GradientMismatch: CustomStringConvertible, Sendable {
    public var input: Int
    public var element: Int
    public var analytic: Double
    public var numeric: Double

    public var description: String {
        "input \(input) element \(element): tape \(analytic), finite differences \(numeric)"
    }
}

/// Compares the tape's vector-Jacobian product of `op` with central differences of `reference`
/// taken in Double, at `inputs`, for a fixed random projection of the output.
///
/// Both sides see the same point: the reference receives the Float inputs widened to Double.
/// An element passes when `|tape − numeric| ≤ absolute + relative·|numeric|`, where `absolute`
/// scales with the largest numeric gradient so that tiny entries are not judged on noise.
public func gradientMismatches(
    of op: ([Tensor]) -> Tensor,
    reference: ([ReferenceTensor]) -> ReferenceTensor,
    at inputs: [Tensor],
    step: Double = 1e-6,
    relativeTolerance: Double = 1e-3
) -> [GradientMismatch] {
    let marked = inputs.map { $0.requiringGradient() }
    let output = op(marked)
    var generator = SeededGenerator(seed: 99)
    let projection = Tensor(uniform: -1...1, shape: output.shape, using: &generator)
    let weights = projection.scalars.map(Double.init)
    let analytic = gradients(of: output, withRespectTo: marked, seed: projection)

    let points = inputs.map(ReferenceTensor.init)
    func projected(_ arguments: [ReferenceTensor]) -> Double {
        zip(reference(arguments).values, weights).map(*).reduce(0, +)
    }
    var mismatches: [GradientMismatch] = []
    for (index, point) in points.enumerated() {
        let numeric = point.values.indices.map { element -> Double in
            var plus = points, minus = points
            plus[index].values[element] += step
            minus[index].values[element] -= step
            return (projected(plus) - projected(minus)) / (2 * step)
        }
        let absolute = 1e-4 * (numeric.map(abs).max() ?? 0) + 1e-6
        for (element, (tape, expected)) in zip(analytic[index].scalars.map(Double.init), numeric).enumerated()
        where abs(tape - expected) > absolute + relativeTolerance * abs(expected) {
            mismatches.append(GradientMismatch(input: index, element: element, analytic: tape, numeric: expected))
        }
    }
    return mismatches
}
