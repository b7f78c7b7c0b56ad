import CDNNL

/// The numbers that fix a 2-D convolution: square kernel, equal stride on both axes, zero
/// padding of `padding` before (top, left) and `paddingAfter` after (bottom, right), and the
/// channels split into `groups` (each output group sees only its input group; depthwise when
/// groups = channels). Output size: `(H + padding + paddingAfter − kernel) / stride + 1` (floor).
/// Unequal padding is TensorFlow's "SAME" at stride 2, which MobileNet-v2 uses.
@_spi(Benchmarks) public struct ConvolutionGeometry: Hashable, Sendable {
    public var input: Shape
    public var outputChannels: Int
    public var kernel: Int
    public var stride: Int
    public var padding: Int
    public var paddingAfter: Int
    public var groups: Int
    public var hasBias: Bool

    public init(input: Shape, outputChannels: Int, kernel: Int, stride: Int, padding: Int, paddingAfter: Int? = nil,
                groups: Int = 1, hasBias: Bool) {
        self.input = input
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.paddingAfter = paddingAfter ?? padding
        self.groups = groups
        self.hasBias = hasBias
    }

    public var output: Shape {
        Shape(input.n, outputChannels,
              (input.h + padding + paddingAfter - kernel) / stride + 1,
              (input.w + padding + paddingAfter - kernel) / stride + 1)
    }

    /// The weight tensor's shape: OIHW with I the channels of one group, as PyTorch and ONNX hold it.
    public var weightShape: Shape { Shape(outputChannels, input.c / groups, kernel, kernel) }

    /// oneDNN's weight dimensions: grouped weights are 5-D (G, O/G, I/G, K, K), which is the
    /// same memory as `weightShape` in OIHW order.
    var weightDimensions: [Int] {
        groups == 1 ? weightShape.dims : [groups, outputChannels / groups, input.c / groups, kernel, kernel]
    }

    /// The weights as the caller holds them (plain OIHW), in oneDNN's terms.
    var plainWeights: dnnl_memory_desc_t {
        groups == 1 ? MemoryDescriptor.make(weightShape, .nchw) : MemoryDescriptor.make(dims: weightDimensions, tag: dnnl_goihw)
    }

    var key: PrimitiveKey {
        PrimitiveKey("convolution", input.dims + [outputChannels, kernel, stride, padding, paddingAfter, groups,
                                                  hasBias ? 1 : 0, usesWinograd ? 1 : 0])
    }

    /// Winograd F(4×4, 3×3) needs a third of the multiplications of the direct method; oneDNN
    /// implements it for stride-1 3×3 kernels without groups, and it only pays once there are
    /// enough channels to fill its vector blocks (VGG19's first layer, with 3 input channels, is
    /// slower with it).
    var usesWinograd: Bool {
        ConvolutionAlgorithm.current == .automatic && kernel == 3 && stride == 1 && groups == 1
            && input.c >= 16 && outputChannels >= 16
    }

    var algorithm: dnnl_alg_kind_t { usesWinograd ? dnnl_convolution_winograd : dnnl_convolution_direct }

    var strides: [Int64] { [Int64(stride), Int64(stride)] }
    var paddingLeft: [Int64] { [Int64(padding), Int64(padding)] }
    /// oneDNN wants the right padding that makes the floor output size exact.
    var paddingRight: [Int64] {
        [Int64((output.h - 1) * stride + kernel - input.h - padding),
         Int64((output.w - 1) * stride + kernel - input.w - padding)]
    }
    var biasDescriptor: dnnl_memory_desc_t? {
        hasBias ? MemoryDescriptor.make(dims: [outputChannels], tag: dnnl_a) : nil
    }
}

/// A convolution primitive with the layouts it chose.
struct ConvolutionPrimitive: Sendable {
    var primitive: Primitive
    var weights: dnnl_memory_desc_t
    var source: Layout
    var destination: Layout
}

extension Kernels {
    private static let convolutionForwards = PrimitiveCache<ConvolutionPrimitive>()
    private static let convolutionBackwardData = PrimitiveCache<ConvolutionPrimitive>()
    private static let convolutionBackwardWeights = PrimitiveCache<ConvolutionPrimitive>()

    /// y = conv(x, weight) + bias, computed by oneDNN in the layout it prefers; with `fusedReLU`,
    /// y = max(that, 0) from the same primitive (a ReLU post-op).
    @_spi(Benchmarks) public static func convolution(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry,
                                                     fusedReLU: Bool = false) -> Tensor {
        let conv = forwardConvolution(geometry, fusedReLU: fusedReLU)
        let source = x.storage(in: conv.source)
        let weights = reordered(weight, geometry: geometry, as: conv.weights)
        let output = Tensor(uninitialized: geometry.output, layout: conv.destination)
        var arguments: [Primitive.Argument] = [
            .init(role: IMPASTO_ARG_SRC, data: UnsafeMutableRawPointer(source.pointer),
                  descriptor: MemoryDescriptor.make(geometry.input, conv.source)),
            .init(role: IMPASTO_ARG_WEIGHTS, data: UnsafeMutableRawPointer(weights.pointer), descriptor: conv.weights),
            .init(role: IMPASTO_ARG_DST, data: UnsafeMutableRawPointer(output.storage.pointer), descriptor: output.descriptor),
        ]
        if let bias, let biasDescriptor = geometry.biasDescriptor {
            arguments.append(.init(role: IMPASTO_ARG_BIAS, data: UnsafeMutableRawPointer(bias.storage(in: .nchw).pointer),
                                   descriptor: biasDescriptor))
        }
        mustSucceed { try conv.primitive.execute(arguments) }
        return output
    }

    /// dx from dy: the gradient of a convolution with respect to its input.
    @_spi(Benchmarks) public static func convolutionBackwardData(_ dy: Tensor, weight: Tensor, geometry: ConvolutionGeometry) -> Tensor {
        let conv = convolutionBackwardData.value(for: geometry.key) { try makeBackwardData(geometry) }
        let diffDestination = dy.storage(in: conv.destination)
        let weights = reordered(weight, geometry: geometry, as: conv.weights)
        let dx = Tensor(uninitialized: geometry.input, layout: conv.source)
        mustSucceed {
            try conv.primitive.execute([
                .init(role: IMPASTO_ARG_DIFF_DST, data: UnsafeMutableRawPointer(diffDestination.pointer),
                      descriptor: MemoryDescriptor.make(geometry.output, conv.destination)),
                .init(role: IMPASTO_ARG_WEIGHTS, data: UnsafeMutableRawPointer(weights.pointer), descriptor: conv.weights),
                .init(role: IMPASTO_ARG_DIFF_SRC, data: UnsafeMutableRawPointer(dx.storage.pointer), descriptor: dx.descriptor),
            ])
        }
        return dx
    }

    /// (dweight, dbias) from x and dy, both returned in NCHW (OIHW) layout.
    static func convolutionBackwardWeights(_ x: Tensor, _ dy: Tensor,
                                           geometry: ConvolutionGeometry) -> (weight: Tensor, bias: Tensor?) {
        let conv = convolutionBackwardWeights.value(for: geometry.key) { try makeBackwardWeights(geometry) }
        let source = x.storage(in: conv.source)
        let diffDestination = dy.storage(in: conv.destination)
        let diffWeights = TensorStorage(count: MemoryDescriptor.byteSize(conv.weights) / MemoryLayout<Float>.stride,
                                        zeroed: false)
        let diffBias = geometry.hasBias ? Tensor(zeros: Shape(1, geometry.outputChannels, 1, 1)) : nil
        var arguments: [Primitive.Argument] = [
            .init(role: IMPASTO_ARG_SRC, data: UnsafeMutableRawPointer(source.pointer),
                  descriptor: MemoryDescriptor.make(geometry.input, conv.source)),
            .init(role: IMPASTO_ARG_DIFF_DST, data: UnsafeMutableRawPointer(diffDestination.pointer),
                  descriptor: MemoryDescriptor.make(geometry.output, conv.destination)),
            .init(role: IMPASTO_ARG_DIFF_WEIGHTS, data: UnsafeMutableRawPointer(diffWeights.pointer), descriptor: conv.weights),
        ]
        if let diffBias, let biasDescriptor = geometry.biasDescriptor {
            arguments.append(.init(role: IMPASTO_ARG_DIFF_BIAS, data: UnsafeMutableRawPointer(diffBias.storage.pointer),
                                   descriptor: biasDescriptor))
        }
        mustSucceed { try conv.primitive.execute(arguments) }
        let plain = geometry.plainWeights
        let weightGradient = MemoryDescriptor.equal(conv.weights, plain)
            ? diffWeights
            : Reorder.run(diffWeights, from: conv.weights, to: plain, key: PrimitiveKey("reorder-dweights", geometry.key.numbers))
        return (Tensor(shape: geometry.weightShape, layout: .nchw, storage: weightGradient), diffBias)
    }

    /// The weights' floats in the blocked layout a primitive asked for, reordered once per
    /// weight tensor and layout and then reused.
    private static func reordered(_ weight: Tensor, geometry: ConvolutionGeometry,
                                  as descriptor: dnnl_memory_desc_t) -> TensorStorage {
        let plain = geometry.plainWeights
        if MemoryDescriptor.equal(plain, descriptor) { return weight.storage }
        return weight.storage.reorderedCopy(as: descriptor) {
            Reorder.run(weight.storage, from: plain, to: descriptor, key: nil)
        }
    }

    private static func forwardConvolution(_ geometry: ConvolutionGeometry, fusedReLU: Bool = false) -> ConvolutionPrimitive {
        convolutionForwards.value(for: PrimitiveKey(fusedReLU ? "convolution+relu" : "convolution", geometry.key.numbers)) {
            try makeForward(geometry, fusedReLU: fusedReLU)
        }
    }

    private static func makeForward(_ geometry: ConvolutionGeometry, fusedReLU: Bool) throws -> ConvolutionPrimitive {
        var desc = dnnl_convolution_desc_t()
        var source = MemoryDescriptor.any(geometry.input.dims)
        var weights = MemoryDescriptor.any(geometry.weightDimensions)
        var destination = MemoryDescriptor.any(geometry.output.dims)
        try withOptionalPointer(to: geometry.biasDescriptor) { bias in
            try check(dnnl_convolution_forward_desc_init(
                &desc, dnnl_forward_training, geometry.algorithm, &source, &weights, bias, &destination,
                geometry.strides, geometry.paddingLeft, geometry.paddingRight), "dnnl_convolution_forward_desc_init")
        }
        let primitive = try withReLUPostOp(fusedReLU) { attributes in
            try Primitive(operation: desc, attributes: attributes, name: "convolution forward")
        }
        return try describe(primitive, geometry, source: dnnl_query_src_md, weights: dnnl_query_weights_md,
                            destination: dnnl_query_dst_md)
    }

    private static func makeBackwardData(_ geometry: ConvolutionGeometry) throws -> ConvolutionPrimitive {
        var desc = dnnl_convolution_desc_t()
        var diffSource = MemoryDescriptor.any(geometry.input.dims)
        var weights = MemoryDescriptor.any(geometry.weightDimensions)
        var diffDestination = MemoryDescriptor.any(geometry.output.dims)
        try check(dnnl_convolution_backward_data_desc_init(
            &desc, geometry.algorithm, &diffSource, &weights, &diffDestination,
            geometry.strides, geometry.paddingLeft, geometry.paddingRight), "dnnl_convolution_backward_data_desc_init")
        let primitive = try Primitive(operation: desc, hint: forwardConvolution(geometry).primitive,
                                      name: "convolution backward data")
        return try describe(primitive, geometry, source: dnnl_query_diff_src_md, weights: dnnl_query_weights_md,
                            destination: dnnl_query_diff_dst_md)
    }

    private static func makeBackwardWeights(_ geometry: ConvolutionGeometry) throws -> ConvolutionPrimitive {
        var desc = dnnl_convolution_desc_t()
        var source = MemoryDescriptor.any(geometry.input.dims)
        var diffWeights = MemoryDescriptor.any(geometry.weightDimensions)
        var diffDestination = MemoryDescriptor.any(geometry.output.dims)
        try withOptionalPointer(to: geometry.biasDescriptor) { diffBias in
            try check(dnnl_convolution_backward_weights_desc_init(
                &desc, geometry.algorithm, &source, &diffWeights, diffBias, &diffDestination,
                geometry.strides, geometry.paddingLeft, geometry.paddingRight),
                      "dnnl_convolution_backward_weights_desc_init")
        }
        let primitive = try Primitive(operation: desc, hint: forwardConvolution(geometry).primitive,
                                      name: "convolution backward weights")
        return try describe(primitive, geometry, source: dnnl_query_src_md, weights: dnnl_query_diff_weights_md,
                            destination: dnnl_query_diff_dst_md)
    }

    /// Reads back the layouts the primitive chose; activations must land on a `Layout` case.
    private static func describe(_ primitive: Primitive, _ geometry: ConvolutionGeometry, source: dnnl_query_t,
                                 weights: dnnl_query_t, destination: dnnl_query_t) throws -> ConvolutionPrimitive {
        guard let sourceLayout = MemoryDescriptor.layout(of: primitive.memoryDescriptor(source), shape: geometry.input),
              let destinationLayout = MemoryDescriptor.layout(of: primitive.memoryDescriptor(destination),
                                                              shape: geometry.output)
        else { throw DNNLError(status: dnnl_unimplemented, call: "convolution chose an activation layout Impasto lacks") }
        return ConvolutionPrimitive(primitive: primitive, weights: primitive.memoryDescriptor(weights),
                                    source: sourceLayout, destination: destinationLayout)
    }
}

/// Calls `body` with primitive attributes holding a ReLU post-op, or with nil when `enabled` is false.
private func withReLUPostOp<R>(_ enabled: Bool, _ body: (dnnl_primitive_attr_t?) throws -> R) throws -> R {
    guard enabled else { return try body(nil) }
    var attributes: dnnl_primitive_attr_t?
    var postOps: dnnl_post_ops_t?
    try check(dnnl_primitive_attr_create(&attributes), "dnnl_primitive_attr_create")
    defer { dnnl_primitive_attr_destroy(attributes) }
    try check(dnnl_post_ops_create(&postOps), "dnnl_post_ops_create")
    defer { dnnl_post_ops_destroy(postOps) }
    try check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "dnnl_post_ops_append_eltwise")
    try check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "dnnl_primitive_attr_set_post_ops")
    return try body(attributes)
}

/// Calls `body` with a pointer to `value`, or with nil when there is none (an absent bias).
private func withOptionalPointer<T, R>(to value: T?, _ body: (UnsafePointer<T>?) throws -> R) rethrows -> R {
    guard let value else { return try body(nil) }
    return try withUnsafePointer(to: value) { try body($0) }
}
