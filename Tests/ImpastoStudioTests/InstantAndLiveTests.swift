import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
@testable import ImpastoStudio
import Testing
import WSClient
import _TestSupport

@Suite struct InstantAndLiveTests {
    @Test func thePreviewIsAJPEGAtMostThePreviewSize() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        try await studio.application().test(.router) { client in
            let (photo, painting) = try await client.uploadTinyPair()
            for style in [["builtin": 7], ["painting": painting]] as [[String: Any]] {
                let preview = try await client.postJSON("/api/preview", ["photo": photo, "style": style, "strength": 0.6, "size": 64])
                #expect(preview.status == .ok, "\(preview.text)")
                #expect(preview.headers[.contentType] == "image/jpeg")
                #expect(preview.data.starts(with: [0xFF, 0xD8, 0xFF]))
            }
            #expect(try await client.postJSON("/api/preview", ["photo": photo, "style": ["builtin": 99]]).errorCode == "unknown_style")
        }
    }

    @Test func anInstantJobWritesTheFullSizeResult() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        try await studio.application().test(.router) { client in
            let (photo, _) = try await client.uploadTinyPair()
            let id = try #require(try await client.postJSON(
                "/api/jobs", ["method": "instant", "photo": photo, "style": ["builtin": 2]]).object()["id"] as? String)
            let job = try await client.waitForJob(id) { ["finished", "failed"].contains($0["status"] as? String) }
            #expect(job["status"] as? String == "finished", "\(job)")
            #expect(job["width"] as? Int == 64 && job["height"] as? Int == 48)
            #expect(try await client.get("/api/jobs/\(id)/result?format=png").data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test func liveFramesComeBackStylisedAndBadFramesAreRefused() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        try await studio.application().test(.live) { client in
            let (width, height) = (32, 24)
            let frame = (0..<(width * height)).flatMap { pixel -> [UInt8] in [UInt8(pixel % 256), 128, UInt8(255 - pixel % 256), 255] }
            try await client.ws("/api/live", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
                var iterator = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                // Once a second the server reports its timings between the answers; skip those.
                func next() async throws -> WebSocketMessage? {
                    while let message = try await iterator.next() {
                        if case .text(let text) = message, text.contains(#""type":"stats""#) { continue }
                        return message
                    }
                    return nil
                }
                try await outbound.write(.binary(ByteBuffer(bytes: frame)))
                #expect(Self.code(try await next()) == "no_settings")
                try await outbound.write(.text(#"{"style": {"builtin": 5}, "strength": 1, "width": 32, "height": 24}"#))
                try await outbound.write(.binary(ByteBuffer(bytes: frame)))
                guard case .binary(let painted) = try await next() else {
                    Issue.record("no frame came back")
                    return
                }
                #expect(painted.readableBytes == width * height * 4)
                #expect(Array(painted.readableBytesView) != frame)
                try await outbound.write(.binary(ByteBuffer(bytes: frame.prefix(100))))
                #expect(Self.code(try await next()) == "bad_frame")
                try await outbound.write(.text(#"{"style": {"builtin": 5}, "width": 5000, "height": 24}"#))
                #expect(Self.code(try await next()) == "bad_size")
                // A 640 × 480 frame is 1.2 MB, in one WebSocket frame from a browser.
                try await outbound.write(.text(#"{"style": {"builtin": 5}, "width": 640, "height": 480}"#))
                try await outbound.write(.binary(ByteBuffer(bytes: [UInt8](repeating: 90, count: 640 * 480 * 4))))
                guard case .binary(let large) = try await next() else {
                    Issue.record("no 640 × 480 frame came back")
                    return
                }
                #expect(large.readableBytes == 640 * 480 * 4)
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
    }

    private static func code(_ message: WebSocketMessage?) -> String? {
        guard case .text(let text) = message,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return object["code"] as? String
    }
}
