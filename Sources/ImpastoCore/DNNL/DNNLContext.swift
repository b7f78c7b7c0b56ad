import CDNNL
import Synchronization

/// The process-wide CPU engine and stream. oneDNN streams are not thread-safe, so every
/// execution goes through `execute`, which serialises them.
final class DNNLContext: @unchecked Sendable {
    static let shared = DNNLContext()

    let engine: dnnl_engine_t
    private let stream: dnnl_stream_t
    private let executionLock = Mutex<Void>(())

    private init() {
        var engine: dnnl_engine_t?
        var stream: dnnl_stream_t?
        mustSucceed {
            try check(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create")
            try check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "dnnl_stream_create")
        }
        self.engine = engine!
        self.stream = stream!
    }

    func execute(_ primitive: dnnl_primitive_t, _ args: [dnnl_exec_arg_t]) throws {
        try executionLock.withLock { _ in
            try args.withUnsafeBufferPointer { buffer in
                try check(dnnl_primitive_execute(primitive, stream, Int32(buffer.count), buffer.baseAddress),
                          "dnnl_primitive_execute")
            }
            try check(dnnl_stream_wait(stream), "dnnl_stream_wait")
        }
    }
}
