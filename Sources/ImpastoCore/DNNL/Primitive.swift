import Foundation
import CDNNL

/// A oneDNN primitive and its descriptor, destroyed together.
///
/// Every primitive is made with a user-managed scratchpad, passed in at each execution. oneDNN's
/// own (library-managed) scratchpad belongs to the thread that created the primitive; cached
/// primitives run on whatever thread needs them, and Winograd kernels, which need a large
/// scratchpad, crash when run on another thread with the library's.
final class Primitive: @unchecked Sendable {
    let descriptor: dnnl_primitive_desc_t
    private let primitive: dnnl_primitive_t
    private let scratchpad: dnnl_memory_desc_t
    private let scratchpadFloats: Int

    /// Creates a primitive from an operation descriptor (`dnnl_convolution_desc_t` and friends).
    /// `attributes`, when given, are the caller's to destroy; their scratchpad mode is set here.
    convenience init<OpDesc>(operation: OpDesc, attributes: dnnl_primitive_attr_t? = nil,
                             hint: Primitive? = nil, name: String) throws {
        var op = operation
        var pd: dnnl_primitive_desc_t?
        try withUserScratchpad(attributes) { attributes in
            try withUnsafeMutablePointer(to: &op) { opPointer in
                try check(dnnl_primitive_desc_create(&pd, UnsafeRawPointer(opPointer), attributes,
                                                     DNNLContext.shared.engine, hint?.descriptor),
                          "dnnl_primitive_desc_create(\(name))")
            }
        }
        try self.init(descriptor: pd!, name: name)
    }

    init(descriptor: dnnl_primitive_desc_t, name: String) throws {
        var primitive: dnnl_primitive_t?
        do {
            try check(dnnl_primitive_create(&primitive, descriptor), "dnnl_primitive_create(\(name))")
        } catch {
            dnnl_primitive_desc_destroy(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.primitive = primitive!
        scratchpad = dnnl_primitive_desc_query_md(descriptor, dnnl_query_scratchpad_md, 0).pointee
        scratchpadFloats = (MemoryDescriptor.byteSize(scratchpad) + 3) / 4
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The memory descriptor the primitive chose for `query` (`dnnl_query_src_md` and so on).
    func memoryDescriptor(_ query: dnnl_query_t, index: Int32 = 0) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(descriptor, query, index).pointee
    }

    /// One argument: its role (`IMPASTO_ARG_SRC`, …), the floats and how they are laid out.
    struct Argument {
        var role: Int32
        var data: UnsafeMutableRawPointer
        var descriptor: dnnl_memory_desc_t
    }

    func execute(_ arguments: [Argument]) throws {
        guard scratchpadFloats > 0 else { return try run(arguments) }
        try Scratchpad.with(floats: scratchpadFloats) { pointer in
            try run(arguments + [Argument(role: IMPASTO_ARG_SCRATCHPAD, data: pointer, descriptor: scratchpad)])
        }
    }

    private func run(_ arguments: [Argument]) throws {
        var memories: [dnnl_memory_t] = []
        defer { memories.forEach { dnnl_memory_destroy($0) } }
        for argument in arguments {
            var memory: dnnl_memory_t?
            var md = argument.descriptor
            try check(dnnl_memory_create(&memory, &md, DNNLContext.shared.engine, argument.data), "dnnl_memory_create")
            memories.append(memory!)
        }
        let args = zip(arguments, memories).map { dnnl_exec_arg_t(arg: $0.role, memory: $1) }
        try DNNLContext.shared.execute(primitive, args)
    }
}

/// Calls `body` with `attributes` (or new ones, destroyed afterwards) set to a user scratchpad.
func withUserScratchpad<R>(_ attributes: dnnl_primitive_attr_t?, _ body: (dnnl_primitive_attr_t?) throws -> R) throws -> R {
    if let attributes {
        try check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user),
                  "dnnl_primitive_attr_set_scratchpad_mode")
        return try body(attributes)
    }
    var created: dnnl_primitive_attr_t?
    try check(dnnl_primitive_attr_create(&created), "dnnl_primitive_attr_create")
    defer { dnnl_primitive_attr_destroy(created) }
    return try withUserScratchpad(created, body)
}

/// The scratch memory primitives work in: one buffer shared by all of them and grown to the
/// largest need, as oneDNN's own global scratchpad is (a buffer per execution costs fresh pages
/// every time; Winograd's scratchpads are tens of megabytes). A primitive that finds it in use
/// on another thread works in a temporary buffer instead.
enum Scratchpad {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: TensorStorage?

    static func with<R>(floats: Int, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        if lock.try() {
            defer { lock.unlock() }
            if (shared?.count ?? 0) < floats { shared = TensorStorage(count: floats, zeroed: false) }
            return try body(UnsafeMutableRawPointer(shared!.pointer))
        }
        let temporary = TensorStorage(count: floats, zeroed: false)
        return try withExtendedLifetime(temporary) { try body(UnsafeMutableRawPointer(temporary.pointer)) }
    }
}
