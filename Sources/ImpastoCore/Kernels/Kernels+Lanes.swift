/// Per-channel work on `PixelPlanes` with 16-float vectors. A lane's values sit every `lanes`
/// floats and 1, 8 and 16 all divide 16, so a vector's position i always holds lane i % lanes:
/// one code path serves NCHW planes (one channel each) and 8- or 16-channel blocks alike.
extension Kernels {
    typealias Vector = SIMD16<Float>

    /// Per-lane Σa and Σa·b over `count` floats (b = a gives the sum of squares): Float within
    /// chunks of 4096 floats, Double across them.
    static func laneMoments(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int,
                            lanes: Int) -> (sums: [Double], products: [Double]) {
        var sums = [Double](repeating: 0, count: Vector.scalarCount)
        var products = sums
        let vectorEnd = count / Vector.scalarCount * Vector.scalarCount
        var start = 0
        while start < vectorEnd {
            let end = min(start + 4096, vectorEnd)
            var (sum, product) = (Vector(), Vector())
            for k in stride(from: start, to: end, by: Vector.scalarCount) {
                let x = load(a + k)
                sum += x
                product += x * load(b + k)
            }
            for i in 0..<Vector.scalarCount {
                sums[i] += Double(sum[i])
                products[i] += Double(product[i])
            }
            start = end
        }
        for k in vectorEnd..<count {
            sums[k % Vector.scalarCount] += Double(a[k])
            products[k % Vector.scalarCount] += Double(a[k]) * Double(b[k])
        }
        return (folded(sums, lanes: lanes), folded(products, lanes: lanes))
    }

    /// out = p · α + q · β + c per lane over `count` floats (`q` may be nil), optionally
    /// through a ReLU; `out` may be `p`.
    static func laneAffine(into out: UnsafeMutablePointer<Float>, _ p: UnsafePointer<Float>, _ alpha: [Float],
                           _ q: UnsafePointer<Float>? = nil, _ beta: [Float] = [], plus constant: [Float],
                           count: Int, lanes: Int, relu: Bool = false) {
        let (a, c) = (tiled(alpha, lanes: lanes), tiled(constant, lanes: lanes))
        let b = q == nil ? Vector() : tiled(beta, lanes: lanes)
        let vectorEnd = count / Vector.scalarCount * Vector.scalarCount
        for k in stride(from: 0, to: vectorEnd, by: Vector.scalarCount) {
            var y = load(p + k) * a + c
            if let q { y += load(q + k) * b }
            if relu { y.replace(with: Vector(), where: y .< Vector()) }
            store(y, out + k)
        }
        for k in vectorEnd..<count {
            var y = p[k] * a[k % Vector.scalarCount] + c[k % Vector.scalarCount]
            if let q { y += q[k] * b[k % Vector.scalarCount] }
            out[k] = relu ? max(y, 0) : y
        }
    }

    /// Adds the vector positions that hold the same lane.
    private static func folded(_ values: [Double], lanes: Int) -> [Double] {
        (0..<lanes).map { lane in stride(from: lane, to: values.count, by: lanes).map { values[$0] }.reduce(0, +) }
    }

    /// A lane's value at every vector position that holds it.
    private static func tiled(_ values: [Float], lanes: Int) -> Vector {
        precondition(values.count == lanes, "\(values.count) per-lane values for \(lanes) lanes")
        var vector = Vector()
        for i in 0..<Vector.scalarCount { vector[i] = values[i % lanes] }
        return vector
    }

    @inline(__always) private static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always) private static func store(_ vector: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: Vector.self)
    }
}
