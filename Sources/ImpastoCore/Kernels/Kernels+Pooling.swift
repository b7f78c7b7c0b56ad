import CDNNL

/// How a 2×2 pooling window is reduced.
public enum Pooling: String, Sendable, CaseIterable, Codable {
    case max
    case average = "avg"

    var algorithm: dnnl_alg_kind_t {
        switch self {
        case .max: dnnl_pooling_max
        case .average: dnnl_pooling_avg_exclude_padding
        }
    }
}

/// A pooling primitive for one input shape, layout and kind, with its backward twin.
struct PoolingPrimitive: Sendable {
    var forward: Primitive
    var workspace: dnnl_memory_desc_t?
    var backward: Primitive?
}

extension Kernels {
    private static let poolings = PrimitiveCache<PoolingPrimitive>()

    /// The output of 2×2 stride-2 pooling: `⌊H/2⌋ × ⌊W/2⌋`.
    static func pooledShape(_ input: Shape) -> Shape { Shape(input.n, input.c, input.h / 2, input.w / 2) }

    /// 2×2 stride-2 pooling in x's own layout. With `training`, also returns the workspace (the
    /// positions of the maxima) that the backward pass needs.
    static func pool(_ x: Tensor, _ kind: Pooling, training: Bool) -> (output: Tensor, workspace: TensorStorage?) {
        let pooling = poolingPrimitive(x.shape, x.layout, kind, training: training)
        let output = Tensor(uninitialized: pooledShape(x.shape), layout: x.layout)
        var arguments: [Primitive.Argument] = [
            .init(role: IMPASTO_ARG_SRC, data: UnsafeMutableRawPointer(x.storage.pointer), descriptor: x.descriptor),
            .init(role: IMPASTO_ARG_DST, data: UnsafeMutableRawPointer(output.storage.pointer), descriptor: output.descriptor),
        ]
        var workspace: TensorStorage?
        if let descriptor = pooling.workspace {
            let storage = TensorStorage(count: (MemoryDescriptor.byteSize(descriptor) + 3) / 4)
            arguments.append(.init(role: IMPASTO_ARG_WORKSPACE, data: UnsafeMutableRawPointer(storage.pointer),
                                   descriptor: descriptor))
            workspace = storage
        }
        mustSucceed { try pooling.forward.execute(arguments) }
        return (output, workspace)
    }

    /// dx from dy for `pool(x, kind, training: true)`; dx has x's shape and layout.
    static func poolBackward(_ dy: Tensor, input x: Tensor, _ kind: Pooling, workspace: TensorStorage?) -> Tensor {
        let pooling = poolingPrimitive(x.shape, x.layout, kind, training: true)
        let diffDestination = dy.storage(in: x.layout)
        let dx = Tensor(uninitialized: x.shape, layout: x.layout)
        var arguments: [Primitive.Argument] = [
            .init(role: IMPASTO_ARG_DIFF_DST, data: UnsafeMutableRawPointer(diffDestination.pointer),
                  descriptor: MemoryDescriptor.make(dy.shape, x.layout)),
            .init(role: IMPASTO_ARG_DIFF_SRC, data: UnsafeMutableRawPointer(dx.storage.pointer), descriptor: dx.descriptor),
        ]
        if let descriptor = pooling.workspace, let workspace {
            arguments.append(.init(role: IMPASTO_ARG_WORKSPACE, data: UnsafeMutableRawPointer(workspace.pointer),
                                   descriptor: descriptor))
        }
        mustSucceed { try pooling.backward!.execute(arguments) }
        return dx
    }

    private static func poolingPrimitive(_ shape: Shape, _ layout: Layout, _ kind: Pooling,
                                         training: Bool) -> PoolingPrimitive {
        let key = PrimitiveKey("pooling", shape.dims + [layout.code, kind == .max ? 0 : 1, training ? 1 : 0])
        return poolings.value(for: key) { try makePooling(shape, layout, kind, training: training) }
    }

    private static func makePooling(_ shape: Shape, _ layout: Layout, _ kind: Pooling,
                                    training: Bool) throws -> PoolingPrimitive {
        var source = MemoryDescriptor.make(shape, layout)
        var destination = MemoryDescriptor.make(pooledShape(shape), layout)
        let window: [Int64] = [2, 2]
        let zero: [Int64] = [0, 0]
        var forwardDesc = dnnl_pooling_desc_t()
        try check(dnnl_pooling_forward_desc_init(&forwardDesc, training ? dnnl_forward_training : dnnl_forward_inference,
                                                 kind.algorithm, &source, &destination, window, window, zero, zero),
                  "dnnl_pooling_forward_desc_init")
        let forward = try Primitive(operation: forwardDesc, name: "pooling forward")
        guard training else { return PoolingPrimitive(forward: forward, workspace: nil, backward: nil) }
        let workspace = forward.memoryDescriptor(dnnl_query_workspace_md)
        var backwardDesc = dnnl_pooling_desc_t()
        try check(dnnl_pooling_backward_desc_init(&backwardDesc, kind.algorithm, &source, &destination,
                                                  window, window, zero, zero), "dnnl_pooling_backward_desc_init")
        let backward = try Primitive(operation: backwardDesc, hint: forward, name: "pooling backward")
        return PoolingPrimitive(forward: forward, workspace: MemoryDescriptor.byteSize(workspace) > 0 ? workspace : nil,
                                backward: backward)
    }
}
