import CDNNL
import Synchronization

/// Copies floats from one memory layout to another with oneDNN's reorder primitive.
public enum Reorder {
    private static let cache = PrimitiveCache<Primitive>()
    private static let performed = Atomic<Int>(0)

    /// How many reorders have run since the process started; the benchmarks report it.
    public static var count: Int { performed.load(ordering: .relaxed) }

    /// Reorders `source` (laid out as `from`) into a new storage laid out as `to`.
    /// `key` caches the primitive; reorders without one are rare (weights, once each).
    static func run(_ source: TensorStorage, from: dnnl_memory_desc_t, to: dnnl_memory_desc_t,
                    key: PrimitiveKey?) -> TensorStorage {
        let destination = TensorStorage(count: MemoryDescriptor.byteSize(to) / MemoryLayout<Float>.stride)
        let primitive = key.map { key in cache.value(for: key) { try make(from: from, to: to) } }
            ?? mustSucceed { try make(from: from, to: to) }
        mustSucceed {
            try primitive.execute([
                .init(role: IMPASTO_ARG_FROM, data: UnsafeMutableRawPointer(source.pointer), descriptor: from),
                .init(role: IMPASTO_ARG_TO, data: UnsafeMutableRawPointer(destination.pointer), descriptor: to),
            ])
        }
        performed.add(1, ordering: .relaxed)
        return destination
    }

    private static func make(from: dnnl_memory_desc_t, to: dnnl_memory_desc_t) throws -> Primitive {
        var pd: dnnl_primitive_desc_t?
        var source = from
        var destination = to
        let engine = DNNLContext.shared.engine
        try withUserScratchpad(nil) { attributes in
            try check(dnnl_reorder_primitive_desc_create(&pd, &source, engine, &destination, engine, attributes),
                      "dnnl_reorder_primitive_desc_create")
        }
        return try Primitive(descriptor: pd!, name: "reorder")
    }
}
