import Foundation
import Hummingbird

/// The small helpers every route file uses to answer and to read requests.
enum Responses {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func file(_ url: URL, type: String, downloadName: String? = nil) throws -> Response {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StudioError(.notFound, "not_found", "that image is not there any more")
        }
        return bytes(data, type: type, downloadName: downloadName)
    }

    static func bytes(_ data: Data, type: String, downloadName: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-cache"]
        if let downloadName { headers[.contentDisposition] = "attachment; filename=\"\(downloadName)\"" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The request's JSON body as `T`, refused with one line saying what is wrong.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 1 << 20) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw StudioError.badRequest("bad_json", "the request's JSON does not fit: \(describe(error))")
        }
    }

    /// The path parameter `name`, which routes always have.
    static func id(_ context: some RequestContext, _ name: String = "id") throws -> String {
        guard let value = context.parameters.get(name) else { throw StudioError.badRequest("missing_id", "no \(name) in the path") }
        return value
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).joined(separator: ".")
            return keys.isEmpty ? context.debugDescription : "\(keys): \(context.debugDescription)"
        }
        return switch error {
        case .keyNotFound(let key, _): "missing \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path(context)
        @unknown default: "\(error)"
        }
    }
}
