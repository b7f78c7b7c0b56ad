/// A plain NCHW array of Doubles: what the naive reference kernels take and return.
///
/// The reference kernels are straightforward loops, slow and obviously right. Tests compare
/// every oneDNN kernel with them and take finite differences of them in Double; nothing on the
/// production path calls them.
public struct ReferenceTensor: Sendable {
    public var shape: Shape
    public var values: [Double]

    public init(shape: Shape, values: [Double]) {
        precondition(values.count == shape.count, "\(values.count) values do not fill \(shape)")
        self.shape = shape
        self.values = values
    }

    public init(zeros shape: Shape) {
        self.init(shape: shape, values: Array(repeating: 0, count: shape.count))
    }

    public init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, values: tensor.scalars.map(Double.init))
    }

    public func index(_ n: Int, _ c: Int, _ y: Int, _ x: Int) -> Int {
        ((n * shape.c + c) * shape.h + y) * shape.w + x
    }

    public subscript(n: Int, c: Int, y: Int, x: Int) -> Double {
        get { values[index(n, c, y, x)] }
        set { values[index(n, c, y, x)] = newValue }
    }
}
