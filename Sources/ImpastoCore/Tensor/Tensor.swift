import CDNNL

/// A float32 tensor of rank 4 (NCHW logical shape) with value semantics.
///
/// The floats live in a reference-counted `TensorStorage` that is copied on write. A tensor
/// may be laid out in one of oneDNN's blocked layouts (see `Layout`); `scalars` always
/// returns the logical NCHW order. A tensor that takes part in differentiation carries a
/// `TapeNode` (see `Tape`).
public struct Tensor: @unchecked Sendable {
    public let shape: Shape
    public let layout: Layout
    var storage: TensorStorage
    var node: TapeNode?

    init(shape: Shape, layout: Layout, storage: TensorStorage, node: TapeNode? = nil) {
        precondition(storage.count >= layout.storageCount(for: shape), "Storage too small for \(shape) \(layout)")
        self.shape = shape
        self.layout = layout
        self.storage = storage
        self.node = node
    }

    /// A tensor of zeros.
    public init(zeros shape: Shape, layout: Layout = .nchw) {
        self.init(shape: shape, layout: layout, storage: TensorStorage(count: layout.storageCount(for: shape)))
    }

    /// A tensor whose elements the caller will overwrite; only channel padding (which kernels
    /// may leave alone) is zeroed.
    init(uninitialized shape: Shape, layout: Layout = .nchw) {
        let padded = shape.c % layout.channelBlock != 0
        self.init(shape: shape, layout: layout,
                  storage: TensorStorage(count: layout.storageCount(for: shape), zeroed: padded))
    }

    /// A tensor holding `scalars` in NCHW order.
    public init(shape: Shape, scalars: [Float]) {
        precondition(scalars.count == shape.count, "\(scalars.count) values do not fill a \(shape) tensor")
        self.init(zeros: shape)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: shape.count) }
    }

    /// A tensor with every element equal to `value`.
    public init(repeating value: Float, shape: Shape) {
        self.init(zeros: shape)
        storage.pointer.update(repeating: value, count: shape.count)
    }

    /// The elements in NCHW order.
    public var scalars: [Float] {
        let plain = layout == .nchw ? self : laidOut(as: .nchw)
        return Array(UnsafeBufferPointer(start: plain.storage.pointer, count: shape.count))
    }

    /// The single element of a scalar tensor.
    public var item: Float {
        precondition(shape.count == 1, "item needs a tensor of one element, not \(shape)")
        return storage.pointer.pointee
    }

    /// The stored floats (channel padding included), in `layout` order.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: layout.storageCount(for: shape)))
    }

    /// Mutable access to the stored floats; copies them first if another tensor shares them.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        storage.forgetReorderedCopies()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: layout.storageCount(for: shape)))
    }

    var descriptor: dnnl_memory_desc_t { MemoryDescriptor.make(shape, layout) }

    /// The same values in `layout`, reordered by oneDNN when the layouts differ.
    func storage(in target: Layout) -> TensorStorage {
        if target == layout { return storage }
        return Reorder.run(storage, from: descriptor, to: MemoryDescriptor.make(shape, target),
                           key: PrimitiveKey("reorder", shape.dims + [layout.code, target.code]))
    }
}
