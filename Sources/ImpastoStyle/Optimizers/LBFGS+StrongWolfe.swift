import Foundation

extension LBFGS {
    /// A trial step length with the objective there and its slope along the direction.
    struct LineSearchPoint {
        var t: Double
        var evaluation: Evaluation
        var slope: Double
        var value: Double { evaluation.value }
    }

    /// The step length that satisfies the strong Wolfe conditions along `direction`: a
    /// bracketing phase that grows the step until it overshoots, then a zoom that narrows the
    /// bracket by cubic interpolation (Nocedal & Wright, algorithms 3.5 and 3.6).
    func strongWolfeSearch(x: [Float], direction: [Float], start: Evaluation, slope: Double,
                           initialLength: Float, objective: Objective,
                           sufficientDecrease c1: Double = 1e-4, curvature c2: Double = 0.9,
                           maximumEvaluations: Int = 25) -> LineSearchResult {
        let value = start.value
        var evaluations = 0
        func evaluate(_ t: Double) -> LineSearchPoint {
            evaluations += 1
            let evaluation = objective(axpy(x, direction, Float(t)))
            return LineSearchPoint(t: t, evaluation: evaluation, slope: dot(evaluation.gradient, direction))
        }
        let directionSize = Double(maxMagnitude(direction))
        let origin = LineSearchPoint(t: 0, evaluation: start, slope: slope)
        var previous = origin
        var current = evaluate(Double(initialLength))
        var bracket: [LineSearchPoint] = []
        var done = false

        // MARK: Bracketing
        while evaluations < maximumEvaluations {
            if current.value > value + c1 * current.t * slope || (evaluations > 1 && current.value >= previous.value) {
                bracket = [previous, current]
                break
            }
            if abs(current.slope) <= -c2 * slope {
                bracket = [current]
                done = true
                break
            }
            if current.slope >= 0 {
                bracket = [previous, current]
                break
            }
            let minimum = current.t + 0.01 * (current.t - previous.t), maximum = current.t * 10
            let next = cubicMinimum(previous.t, previous.value, previous.slope, current.t, current.value, current.slope,
                                    bounds: minimum...maximum)
            previous = current
            current = evaluate(next)
        }
        if bracket.isEmpty { bracket = [origin, current] }

        // MARK: Zoom
        var insufficientProgress = false
        while !done && bracket.count == 2 && evaluations < maximumEvaluations {
            if abs(bracket[1].t - bracket[0].t) * directionSize < changeTolerance { break }
            let (low, high) = bracket[0].value <= bracket[1].value ? (0, 1) : (1, 0)
            var t = cubicMinimum(bracket[0].t, bracket[0].value, bracket[0].slope,
                                 bracket[1].t, bracket[1].value, bracket[1].slope)
            // Keep away from the bracket's ends, which would make no progress.
            let (lower, upper) = (min(bracket[0].t, bracket[1].t), max(bracket[0].t, bracket[1].t))
            let margin = 0.1 * (upper - lower)
            if min(upper - t, t - lower) < margin {
                if insufficientProgress || t >= upper || t <= lower {
                    t = abs(t - upper) < abs(t - lower) ? upper - margin : lower + margin
                    insufficientProgress = false
                } else {
                    insufficientProgress = true
                }
            } else {
                insufficientProgress = false
            }
            let trial = evaluate(t)
            if trial.value > value + c1 * t * slope || trial.value >= bracket[low].value {
                bracket[high] = trial
            } else {
                if abs(trial.slope) <= -c2 * slope {
                    done = true
                } else if trial.slope * (bracket[high].t - bracket[low].t) >= 0 {
                    bracket[high] = bracket[low]
                }
                bracket[low] = trial
            }
        }
        let best = bracket.min { $0.value < $1.value }!
        guard best.value < value else { return LineSearchResult(length: 0, evaluation: start, evaluations: evaluations) }
        return LineSearchResult(length: Float(best.t), evaluation: best.evaluation, evaluations: evaluations)
    }
}

/// The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to `bounds`
/// (by default the interval between the two points); the middle when the cubic has none.
func cubicMinimum(_ x1: Double, _ f1: Double, _ g1: Double, _ x2: Double, _ f2: Double, _ g2: Double,
                  bounds: ClosedRange<Double>? = nil) -> Double {
    let range = bounds ?? min(x1, x2)...max(x1, x2)
    let d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    let discriminant = d1 * d1 - g1 * g2
    guard discriminant >= 0 else { return (range.lowerBound + range.upperBound) / 2 }
    let d2 = discriminant.squareRoot()
    let minimum = x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    guard minimum.isFinite else { return (range.lowerBound + range.upperBound) / 2 }
    return min(max(minimum, range.lowerBound), range.upperBound)
}
