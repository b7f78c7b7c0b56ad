import Foundation
import Hummingbird

/// A refusal or failure the page can show: an HTTP status, a stable code for scripts and one
/// line for people, sent as `{"error": {"code": …, "message": …}}`.
public struct StudioError: HTTPResponseError, CustomStringConvertible, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(["error": ["code": code, "message": message]])
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func notFound(_ what: String, _ id: String) -> StudioError {
        StudioError(.notFound, "not_found", "no \(what) with id \(id)")
    }

    static func badRequest(_ code: String, _ message: String) -> StudioError {
        StudioError(.badRequest, code, message)
    }
}
