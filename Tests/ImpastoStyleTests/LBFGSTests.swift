import Foundation
import ImpastoStyle
import Testing

@Suite("L-BFGS")
struct LBFGSTests {
    /// f(x) = Σ aᵢ(xᵢ − cᵢ)², badly conditioned (a from 1 to 100).
    typealias Optimizer = LBFGS<Void>

    static func quadratic(_ x: [Float]) -> Optimizer.Evaluation {
        var value = 0.0
        var gradient = [Float](repeating: 0, count: x.count)
        for i in x.indices {
            let (a, c) = (Float(1 + 99 * i) / Float(max(x.count - 1, 1)) + 1, Float(i) * 0.3 - 1)
            value += Double(a * (x[i] - c) * (x[i] - c))
            gradient[i] = 2 * a * (x[i] - c)
        }
        return Optimizer.Evaluation(value: value, gradient: gradient, info: ())
    }

    /// The Rosenbrock function, minimum 0 at (1, 1).
    static func rosenbrock(_ x: [Float]) -> Optimizer.Evaluation {
        let (a, b) = (Double(x[0]), Double(x[1]))
        let value = (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
        return Optimizer.Evaluation(value: value, gradient: [Float(-2 * (1 - a) - 400 * a * (b - a * a)),
                                                             Float(200 * (b - a * a))], info: ())
    }

    static func minimise(_ objective: Optimizer.Objective, from start: [Float], optimizer: Optimizer,
                         iterations: Int) -> (x: [Float], stop: Optimizer.StopReason?, steps: Int) {
        var optimizer = optimizer
        var x = start
        for step in 1...iterations {
            let outcome = optimizer.step(&x, objective: objective)
            if let stop = outcome.stop { return (x, stop, step) }
        }
        return (x, nil, iterations)
    }

    @Test(arguments: Optimizer.LineSearch.allCases, Optimizer.StartingHessian.allCases)
    func reachesAQuadraticsMinimum(_ lineSearch: Optimizer.LineSearch, _ hessian: Optimizer.StartingHessian) {
        let start = [Float](repeating: 3, count: 8)
        let optimizer = Optimizer(historySize: 10, lineSearch: lineSearch, startingHessian: hessian,
                                  learningRate: lineSearch == .none ? 0.5 : 1)
        let result = Self.minimise(Self.quadratic, from: start, optimizer: optimizer, iterations: 200)
        let expected = (0..<8).map { Float($0) * 0.3 - 1 }
        #expect(zip(result.x, expected).allSatisfy { abs($0 - $1) < 1e-3 }, "\(result.x)")
        #expect(Self.quadratic(result.x).value < 1e-5)
    }

    @Test(arguments: Optimizer.StartingHessian.allCases)
    func reachesTheRosenbrockMinimumWithStrongWolfe(_ hessian: Optimizer.StartingHessian) {
        let result = Self.minimise(Self.rosenbrock, from: [-1.2, 1],
                                   optimizer: Optimizer(historySize: 10, startingHessian: hessian), iterations: 200)
        #expect(abs(result.x[0] - 1) < 1e-3 && abs(result.x[1] - 1) < 1e-3, "\(result.x) after \(result.steps)")
        #expect(result.steps < 100)
        #expect(result.stop != .lineSearchFailed)
    }

    @Test func aNaNGradientIsNotTakenForConvergence() {
        var optimizer = Optimizer()
        var x: [Float] = [1, 2]
        let outcome = optimizer.step(&x) { _ in Optimizer.Evaluation(value: 1, gradient: [0, .nan], info: ()) }
        #expect(outcome.stop == .notFinite)
        #expect(x == [1, 2], "nothing moved")
    }

    /// Σ aᵢ xᵢ² with aᵢ spread over four decades: the gradient's size follows aᵢ, so the
    /// diagonal starting Hessian, like the inverse of aᵢ, helps where a short history cannot.
    @Test func theDiagonalStartingHessianNeedsFewerIterationsOnABadlyScaledProblem() {
        func scaled(_ x: [Float]) -> Optimizer.Evaluation {
            let a = x.indices.map { Float(pow(10, 4 * Double($0) / Double(x.count - 1))) }
            return Optimizer.Evaluation(value: x.indices.reduce(0) { $0 + Double(a[$1] * x[$1] * x[$1]) },
                                        gradient: x.indices.map { 2 * a[$0] * x[$0] }, info: ())
        }
        func iterations(_ hessian: Optimizer.StartingHessian) -> Int {
            var optimizer = Optimizer(historySize: 3, startingHessian: hessian, changeTolerance: 0)
            var x = [Float](repeating: 1, count: 40)
            for iteration in 1...1000 {
                _ = optimizer.step(&x, objective: scaled)
                if scaled(x).value < 1e-6 { return iteration }
            }
            return 1000
        }
        let (diagonal, scalar) = (iterations(.diagonal), iterations(.scalar))
        #expect(diagonal * 2 < scalar, "diagonal \(diagonal), scalar \(scalar) iterations")
    }

    /// The quadratic is a sum of squares: told so, L-BFGS's first trial step is the Polyak step,
    /// which the line search accepts; PyTorch's 1/|g|₁ is far too short and needs extrapolating.
    @Test func aKnownLowerBoundShortensTheFirstLineSearch() {
        func firstEvaluations(_ bound: Double?) -> Int {
            var optimizer = Optimizer(historySize: 10, valueLowerBound: bound)
            var x = [Float](repeating: 3, count: 8)
            return optimizer.step(&x, objective: Self.quadratic).evaluations
        }
        let (polyak, pytorch) = (firstEvaluations(0), firstEvaluations(nil))
        #expect(polyak == 2, "the start and one trial: \(polyak)")
        #expect(pytorch > 2, "\(pytorch)")
    }

    @Test func saysWhyItStopped() {
        var optimizer = Optimizer()
        var x: [Float] = [1, 1]
        let outcome = optimizer.step(&x, objective: Self.rosenbrock)
        #expect(outcome.stop == .converged)
        #expect(outcome.value == 0)
    }

    /// With a basis P, the iterates are those of L-BFGS over the coordinates z on f(P z): what
    /// lets the pyramid precondition L-BFGS while its history stays image-sized. The objective
    /// is convex but not quadratic, so the line search and the diagonal D both take part.
    @Test(arguments: Optimizer.StartingHessian.allCases)
    func aBasisGivesTheIteratesOfTheOptimisationOverItsCoordinates(_ hessian: Optimizer.StartingHessian) {
        let pyramid = PixelPyramid(channels: 3, height: 13, width: 7, levels: 3, decay: 0.7)
        let pixels = 3 * 13 * 7
        func objective(_ x: [Float]) -> Optimizer.Evaluation {
            var value = 0.0
            var gradient = [Float](repeating: 0, count: x.count)
            for i in x.indices {
                let (a, c) = (Float(1 + i % 17), Float(sin(Double(i))))
                value += Double(a * (x[i] - c) * (x[i] - c) + 0.5 * pow(x[i], 4))
                gradient[i] = 2 * a * (x[i] - c) + 2 * pow(x[i], 3)
            }
            return Optimizer.Evaluation(value: value, gradient: gradient, info: ())
        }
        func overCoordinates(_ z: [Float]) -> Optimizer.Evaluation {
            var evaluation = objective(pyramid.expanded(z))
            evaluation.gradient = pyramid.contracted(evaluation.gradient)
            return evaluation
        }
        let start = (0..<pixels).map { Float(cos(Double($0) * 0.3)) }
        var x = start
        var z = start + [Float](repeating: 0, count: pyramid.count - pixels)
        var withBasis = Optimizer(historySize: 5, startingHessian: hessian)
        withBasis.basis = pyramid
        var overZ = Optimizer(historySize: 5, startingHessian: hessian)
        for iteration in 1...12 {
            _ = withBasis.step(&x, objective: objective)
            _ = overZ.step(&z, objective: overCoordinates)
            let difference = zip(x, pyramid.expanded(z)).map { abs($0 - $1) }.max()!
            #expect(difference < 1e-4, "iteration \(iteration): \(difference)")
        }
        #expect(objective(x).value < 0.5 * objective(start).value, "it made progress")
    }

    /// After `objectiveChanged()` the next iteration starts by evaluating the new objective at
    /// the current point, instead of trusting the value cached by the last line search.
    @Test func aChangedObjectiveIsEvaluatedAfreshAtTheCurrentPoint() {
        var optimizer = Optimizer(historySize: 5)
        var x: [Float] = [3, 3, 3]
        var evaluated: [[Float]] = []
        let objective: Optimizer.Objective = { point in evaluated.append(point); return Self.quadratic(point) }
        _ = optimizer.step(&x, objective: objective)
        var current = x
        evaluated = []
        _ = optimizer.step(&x, objective: objective)
        #expect(evaluated.first != current, "without a change the cached evaluation is reused")
        current = x
        optimizer.objectiveChanged()
        evaluated = []
        _ = optimizer.step(&x, objective: objective)
        #expect(evaluated.first == current)
    }
}
