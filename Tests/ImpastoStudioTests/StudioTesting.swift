import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ImpastoStudio
import _TestSupport

/// A studio on a fresh data folder, and the requests its tests make.
struct StudioTesting {
    let folder: URL
    var configuration: StudioConfiguration

    init(_ adjust: (inout StudioConfiguration) -> Void = { _ in }) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-studio-\(UUID().uuidString)")
        configuration = StudioConfiguration(dataFolder: folder)
        configuration.port = 0
        adjust(&configuration)
    }

    func application() throws -> some ApplicationProtocol { try buildApplication(configuration: configuration) }

    func removeFolder() { try? FileManager.default.removeItem(at: folder) }

    /// The files under the data folder, relative to it.
    func files() -> Set<String> {
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        return Set((enumerator?.allObjects as? [String] ?? []).filter { !$0.hasPrefix("studio.sqlite") })
    }
}

extension TestClientProtocol {
    func upload(_ url: URL, role: String, name: String? = nil) async throws -> TestResponse {
        let bytes = try Data(contentsOf: url)
        let name = (name ?? url.lastPathComponent).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x"
        return try await execute(uri: "/api/images?role=\(role)&name=\(name)", method: .post, body: ByteBuffer(bytes: bytes))
    }

    func uploadBytes(_ bytes: [UInt8], role: String, name: String = "file") async throws -> TestResponse {
        try await execute(uri: "/api/images?role=\(role)&name=\(name)", method: .post, body: ByteBuffer(bytes: bytes))
    }

    func postJSON(_ uri: String, _ object: Any) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: object)
        return try await execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body))
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get)
    }

    /// The uploaded photo and painting (the tiny fixtures) as ids.
    func uploadTinyPair() async throws -> (photo: String, painting: String) {
        let photo = try await upload(try Fixtures.tinyContent, role: "photo").object()
        let painting = try await upload(try Fixtures.tinyStyle, role: "painting").object()
        return (photo["id"] as! String, painting["id"] as! String)
    }

    /// Polls the job until `done` says so (at most `seconds`).
    func waitForJob(_ id: String, seconds: Double = 120, until done: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let job = try await get("/api/jobs/\(id)").object()
            if done(job) { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw StudioTestTimeout(job: id)
    }
}

struct StudioTestTimeout: Error { var job: String }

extension TestResponse {
    var data: Data { Data(body.readableBytesView) }
    var text: String { String(decoding: data, as: UTF8.self) }

    func object() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func array() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    /// The error code of a JSON refusal.
    var errorCode: String? {
        ((try? object())?["error"] as? [String: Any])?["code"] as? String
    }
}
