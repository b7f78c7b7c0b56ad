import ImpastoCore
import Testing

/// Whether `a` and `b` agree within `|a − b| ≤ max(absolute, relative·max(|a|, |b|))`.
public func isClose(_ a: Double, _ b: Double, relative: Double, absolute: Double = 0) -> Bool {
    abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// Expects two arrays of equal length to agree element by element; reports the worst element.
public func expectClose(_ actual: [Double], _ expected: [Double], relative: Double, absolute: Double,
                        _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
            sourceLocation: sourceLocation)
    let failures = zip(actual, expected).enumerated().filter { !isClose($1.0, $1.1, relative: relative, absolute: absolute) }
    if let (index, (a, e)) = failures.first {
        Issue.record("\(what): \(failures.count) of \(expected.count) differ; first at \(index): \(a) vs \(e)",
                     sourceLocation: sourceLocation)
    }
}

/// A tensor of uniform random values from a fixed seed.
public func randomTensor(_ shape: Shape, in range: ClosedRange<Float> = -1...1, seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(uniform: range, shape: shape, using: &generator)
}
