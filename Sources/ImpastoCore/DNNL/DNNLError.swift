import CDNNL

/// A oneDNN call that did not return `dnnl_success`.
public struct DNNLError: Error, CustomStringConvertible {
    public let status: dnnl_status_t
    public let call: String

    public var description: String { "oneDNN call \(call) failed with status \(status.rawValue)" }
}

/// Throws `DNNLError` unless `status` is `dnnl_success`.
@inline(__always)
func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) throws {
    if status != dnnl_success { throw DNNLError(status: status, call: call()) }
}

/// Runs oneDNN work whose failure means a bug in Impasto (shapes are checked before any call),
/// so ops stay non-throwing for their callers.
@inline(__always)
func mustSucceed<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch { fatalError("\(error)") }
}
