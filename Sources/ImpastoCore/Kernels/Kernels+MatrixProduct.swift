import CDNNL

extension Kernels {
    private static let matrixProducts = PrimitiveCache<Primitive>()

    /// A batch of row-major matrix products `C[b] = scale · A[b] · op(B[b])`, where `op(B)` is
    /// `B` or, with `transposeB`, `Bᵀ` read in place (no copy). A is `batch × m × k`;
    /// B is `batch × k × n`, or `batch × n × k` when transposed. Returns C, `batch × m × n`.
    static func matrixProduct(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>,
                              batch: Int, m: Int, k: Int, n: Int, transposeB: Bool, scale: Float) -> TensorStorage {
        let aDescriptor = MemoryDescriptor.make(dims: [batch, m, k], strides: [m * k, k, 1])
        let bDescriptor = transposeB
            ? MemoryDescriptor.make(dims: [batch, k, n], strides: [n * k, 1, k])
            : MemoryDescriptor.make(dims: [batch, k, n], strides: [k * n, n, 1])
        let cDescriptor = MemoryDescriptor.make(dims: [batch, m, n], strides: [m * n, n, 1])
        let key = PrimitiveKey("matmul", [batch, m, k, n, transposeB ? 1 : 0, Int(scale.bitPattern)])
        let primitive = matrixProducts.value(for: key) {
            try makeMatrixProduct(aDescriptor, bDescriptor, cDescriptor, scale: scale)
        }
        let c = TensorStorage(count: batch * m * n, zeroed: false)
        mustSucceed {
            try primitive.execute([
                .init(role: IMPASTO_ARG_SRC, data: UnsafeMutableRawPointer(a), descriptor: aDescriptor),
                .init(role: IMPASTO_ARG_WEIGHTS, data: UnsafeMutableRawPointer(b), descriptor: bDescriptor),
                .init(role: IMPASTO_ARG_DST, data: UnsafeMutableRawPointer(c.pointer), descriptor: cDescriptor),
            ])
        }
        return c
    }

    private static func makeMatrixProduct(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t, _ c: dnnl_memory_desc_t,
                                          scale: Float) throws -> Primitive {
        var (source, weights, destination) = (a, b, c)
        var desc = dnnl_matmul_desc_t()
        try check(dnnl_matmul_desc_init(&desc, &source, &weights, nil, &destination), "dnnl_matmul_desc_init")
        var attributes: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attributes), "dnnl_primitive_attr_create")
        defer { dnnl_primitive_attr_destroy(attributes) }
        var scales = [scale]
        try check(dnnl_primitive_attr_set_output_scales(attributes, 1, 0, &scales), "dnnl_primitive_attr_set_output_scales")
        return try Primitive(operation: desc, attributes: attributes, name: "matmul")
    }
}
