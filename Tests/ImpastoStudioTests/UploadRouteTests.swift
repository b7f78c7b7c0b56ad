import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ImpastoStudio
import Testing
import _TestSupport

@Suite struct UploadRouteTests {
    @Test func anUploadIsStoredUnderAServerNameWithItsThumbnail() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        try await studio.application().test(.router) { client in
            let response = try await client.upload(try Fixtures.tinyContent, role: "photo", name: "../../holiday/cat.png")
            #expect(response.status == .created)
            let image = try response.object()
            let id = try #require(image["id"] as? String)
            #expect(image["originalName"] as? String == "cat.png")
            #expect(image["width"] as? Int == 64 && image["height"] as? Int == 48)
            #expect(studio.files().contains("uploads/\(id).png"))
            #expect(!studio.files().contains { $0.contains("cat") || $0.contains("holiday") })

            let listed = try await client.get("/api/images?role=photo").array()
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect(try await client.get("/api/images?role=painting").array().isEmpty)
            let thumbnail = try await client.get("/api/images/\(id)/thumbnail")
            #expect(thumbnail.status == .ok && thumbnail.data.starts(with: [0xFF, 0xD8, 0xFF]))
            let file = try await client.get("/api/images/\(id)/file")
            #expect(file.data == (try Data(contentsOf: try Fixtures.tinyContent)))

            #expect(try await client.execute(uri: "/api/images/\(id)", method: .delete).status == .noContent)
            #expect(try await client.get("/api/images/\(id)").status == .notFound)
            #expect(studio.files().filter { $0.hasPrefix("uploads/") || $0.hasPrefix("thumbnails/") && $0.contains(id) }.isEmpty)
        }
    }

    @Test func refusalsAreJSONWithTheirCodesAndLeaveNoFile() async throws {
        let studio = try StudioTesting { configuration in
            configuration.uploadLimit = 10_000
            configuration.pixelLimit = 1000
        }
        defer { studio.removeFolder() }
        try await studio.application().test(.router) { client in
            let cases: [(TestResponse, HTTPResponse.Status, String)] = [
                // 64×48 = 3072 pixels, above this studio's 1000 (read from the header).
                (try await client.upload(try Fixtures.tinyContent, role: "photo"), .contentTooLarge, "too_many_pixels"),
                (try await client.uploadBytes([UInt8](repeating: 7, count: 10_001), role: "photo"), .contentTooLarge, "upload_too_large"),
                // A PNG by its name, text by its content.
                (try await client.uploadBytes(Array("just some text".utf8), role: "photo", name: "photo.png"), .unsupportedMediaType, "not_an_image"),
                // A PNG signature and nothing after it.
                (try await client.uploadBytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], role: "photo"), .unprocessableContent, "damaged_image"),
                (try await client.uploadBytes([], role: "photo"), .badRequest, "empty_upload"),
                (try await client.upload(try Fixtures.tinyContent, role: "../etc"), .badRequest, "bad_role"),
                (try await client.get("/api/images/..%2Fstudio.sqlite/file"), .notFound, "not_found"),
                (try await client.get("/api/jobs/nonesuch"), .notFound, "not_found"),
                (try await client.postJSON("/api/jobs", ["method": "gatys"]), .badRequest, "bad_json"),
            ]
            for (response, status, code) in cases {
                #expect(response.status == status, "\(code): \(response.text)")
                #expect(response.errorCode == code, "\(response.text)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            #expect(studio.files().filter { $0.hasPrefix("uploads/") }.isEmpty)
        }
    }

    @Test func stylesListTheBuiltinOnesAndTheUploadedPaintings() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        try await studio.application().test(.router) { client in
            let (_, painting) = try await client.uploadTinyPair()
            let styles = try await client.get("/api/styles").object()
            #expect((styles["builtin"] as? [[String: Any]])?.count == 26)
            #expect((styles["paintings"] as? [[String: Any]])?.map { $0["id"] as? String } == [painting])
            let thumbnail = try await client.get("/api/styles/4/thumbnail")
            #expect(thumbnail.status == .ok && thumbnail.data.starts(with: [0xFF, 0xD8, 0xFF]))
            #expect(try await client.get("/api/styles/26/thumbnail").status == .notFound)
        }
    }

    @Test func thePageAndItsFilesAreServed() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        try await studio.application().test(.router) { client in
            let page = try await client.get("/")
            #expect(page.status == .ok && page.text.contains("<script src=\"/studio.js\">"))
            #expect(try await client.get("/studio.js").text.contains("EventSource"))
            #expect(try await client.get("/studio.css").status == .ok)
        }
    }
}
