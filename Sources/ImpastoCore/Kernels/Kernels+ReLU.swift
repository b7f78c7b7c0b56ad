import CDNNL

/// ReLU forward and backward primitives for one shape and layout. The backward pass reads the
/// forward output (`use_dst_for_bwd`), so the pre-activation need not be kept.
struct ReLUPrimitive: Sendable {
    var forward: Primitive
    var backward: Primitive
}

extension Kernels {
    private static let relus = PrimitiveCache<ReLUPrimitive>()

    /// max(x, 0), in x's layout.
    static func relu(_ x: Tensor) -> Tensor {
        let relu = reluPrimitive(x.shape, x.layout)
        let output = Tensor(uninitialized: x.shape, layout: x.layout)
        mustSucceed {
            try relu.forward.execute([
                .init(role: IMPASTO_ARG_SRC, data: UnsafeMutableRawPointer(x.storage.pointer), descriptor: x.descriptor),
                .init(role: IMPASTO_ARG_DST, data: UnsafeMutableRawPointer(output.storage.pointer), descriptor: output.descriptor),
            ])
        }
        return output
    }

    /// dy where the ReLU's output `y` is positive, 0 elsewhere; in y's layout.
    static func reluBackward(_ dy: Tensor, output y: Tensor) -> Tensor {
        let relu = reluPrimitive(y.shape, y.layout)
        let diffDestination = dy.storage(in: y.layout)
        let dx = Tensor(uninitialized: y.shape, layout: y.layout)
        mustSucceed {
            try relu.backward.execute([
                .init(role: IMPASTO_ARG_DST, data: UnsafeMutableRawPointer(y.storage.pointer), descriptor: y.descriptor),
                .init(role: IMPASTO_ARG_DIFF_DST, data: UnsafeMutableRawPointer(diffDestination.pointer), descriptor: y.descriptor),
                .init(role: IMPASTO_ARG_DIFF_SRC, data: UnsafeMutableRawPointer(dx.storage.pointer), descriptor: dx.descriptor),
            ])
        }
        return dx
    }

    private static func reluPrimitive(_ shape: Shape, _ layout: Layout) -> ReLUPrimitive {
        relus.value(for: PrimitiveKey("relu", shape.dims + [layout.code])) {
            var data = MemoryDescriptor.make(shape, layout)
            var forwardDesc = dnnl_eltwise_desc_t()
            try check(dnnl_eltwise_forward_desc_init(&forwardDesc, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd,
                                                     &data, 0, 0), "dnnl_eltwise_forward_desc_init")
            let forward = try Primitive(operation: forwardDesc, name: "relu forward")
            var backwardDesc = dnnl_eltwise_desc_t()
            try check(dnnl_eltwise_backward_desc_init(&backwardDesc, dnnl_eltwise_relu_use_dst_for_bwd, &data, &data, 0, 0),
                      "dnnl_eltwise_backward_desc_init")
            return ReLUPrimitive(forward: forward, backward: try Primitive(operation: backwardDesc, hint: forward,
                                                                           name: "relu backward"))
        }
    }
}
