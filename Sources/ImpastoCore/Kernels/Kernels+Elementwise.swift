/// Element-wise work in Swift loops: cheap next to the convolutions, and simple enough for the
/// compiler to vectorise. Binary kernels work in the first operand's layout; channel padding of
/// blocked layouts holds zeros and stays zero through all of them.
extension Kernels {
    /// a + b.
    static func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        combine(a, b) { x, y in x + y }
    }

    /// scale · (a − b).
    static func scaledDifference(_ a: Tensor, _ b: Tensor, scale: Float) -> Tensor {
        combine(a, b) { x, y in scale * (x - y) }
    }

    /// scale · a.
    static func scaled(_ a: Tensor, by scale: Float) -> Tensor {
        let output = Tensor(uninitialized: a.shape, layout: a.layout)
        let count = a.layout.storageCount(for: a.shape)
        let (source, destination) = (a.storage.pointer, output.storage.pointer)
        for i in 0..<count { destination[i] = scale * source[i] }
        return output
    }

    /// The sum of all elements, accumulated in Double.
    static func sum(_ a: Tensor) -> Double {
        a.withUnsafeBufferPointer { values in
            chunkedSum(count: values.count) { i in values[i] }
        }
    }

    /// Σ (a − b)², accumulated in Double.
    static func squaredDistance(_ a: Tensor, _ b: Tensor) -> Double {
        precondition(a.shape == b.shape, "squaredDistance: \(a.shape) vs \(b.shape)")
        let other = b.storage(in: a.layout)
        let (x, y) = (a.storage.pointer, other.pointer)
        return chunkedSum(count: a.layout.storageCount(for: a.shape)) { i in
            let d = x[i] - y[i]
            return d * d
        }
    }

    private static func combine(_ a: Tensor, _ b: Tensor, _ operation: (Float, Float) -> Float) -> Tensor {
        precondition(a.shape == b.shape, "element-wise op on \(a.shape) and \(b.shape)")
        let other = b.storage(in: a.layout)
        let output = Tensor(uninitialized: a.shape, layout: a.layout)
        let (x, y, z) = (a.storage.pointer, other.pointer, output.storage.pointer)
        for i in 0..<a.layout.storageCount(for: a.shape) { z[i] = operation(x[i], y[i]) }
        return output
    }

    /// Sums `term(i)` for i in 0..<count: Float within chunks of 1024 (vectorised), Double across.
    private static func chunkedSum(count: Int, _ term: (Int) -> Float) -> Double {
        var total = 0.0
        var start = 0
        while start < count {
            let end = min(start + 1024, count)
            var partial: Float = 0
            for i in start..<end { partial += term(i) }
            total += Double(partial)
            start = end
        }
        return total
    }
}
