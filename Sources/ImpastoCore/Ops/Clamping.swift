import Foundation

extension Tensor {
    /// Clamps every element to `range` in place and returns how many elements it changed.
    @discardableResult
    public mutating func clamp(to range: ClosedRange<Float>) -> Int {
        withUnsafeMutableBufferPointer { values in
            var changed = 0
            for i in values.indices {
                let clamped = Swift.min(Swift.max(values[i], range.lowerBound), range.upperBound)
                if clamped != values[i] { changed += 1 }
                values[i] = clamped
            }
            return changed
        }
    }
}
