import Foundation
import Hummingbird
import HummingbirdTesting
@testable import ImpastoStudio
import Testing
import _TestSupport

@Suite(.serialized) struct JobRouteTests {
    @Test func aGatysJobStreamsStepsAndPreviewsAndItsResultDownloads() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        // The router client waits for a whole response however long it takes; the live one gives
        // up after 20 seconds, less than a debug build's steps may take.
        try await studio.application().test(.router) { client in
            let (photo, painting) = try await client.uploadTinyPair()
            let started = try await client.postJSON("/api/jobs", ["method": "gatys", "photo": photo, "style": ["painting": painting], "steps": 8])
            #expect(started.status == .accepted, "\(started.text)")
            let id = try #require(try started.object()["id"] as? String)

            let events = try await client.get("/api/jobs/\(id)/events")
            #expect(events.headers[.contentType] == "text/event-stream")
            let names = events.text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { $0.dropFirst(7) }
            #expect(names.first == "job" && names.last == "job")
            #expect(names.filter { $0 == "step" }.count >= 2)
            #expect(names.contains("preview"))
            #expect(events.text.contains("\"status\":\"finished\""))

            let job = try await client.get("/api/jobs/\(id)").object()
            #expect(job["status"] as? String == "finished")
            #expect((job["losses"] as? [Double])?.isEmpty == false)
            let png = try await client.get("/api/jobs/\(id)/result?format=png")
            #expect(png.data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(png.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(try await client.get("/api/jobs/\(id)/result?format=jpeg").data.starts(with: [0xFF, 0xD8, 0xFF]))
            #expect(try await client.get("/api/jobs/\(id)/result?format=gif").errorCode == "bad_format")

            let history = try await client.get("/api/jobs").array()
            #expect(history.map { $0["id"] as? String } == [id])
            #expect(history.first?["thumbnail"] as? String == "/api/jobs/\(id)/thumbnail")
            #expect((history.first?["losses"] as? [Double])?.isEmpty == true)
            #expect(try await client.get("/api/jobs/\(id)/thumbnail").data.starts(with: [0xFF, 0xD8, 0xFF]))
            #expect(try await client.execute(uri: "/api/jobs/\(id)", method: .delete).status == .noContent)
            #expect(!studio.files().contains { $0.hasPrefix("results/\(id)") || $0.contains("job-\(id)") })
        }
    }

    @Test func cancelStopsTheRunningJobAtItsNextStepAndKeepsItsImage() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        try await studio.application().test(.live) { client in
            let (photo, painting) = try await client.uploadTinyPair()
            let id = try #require(try await client.postJSON(
                "/api/jobs", ["method": "gatys", "photo": photo, "style": ["painting": painting], "steps": 2000]).object()["id"] as? String)
            _ = try await client.waitForJob(id) { ($0["step"] as? Int ?? 0) >= 3 }
            #expect(try await client.postJSON("/api/jobs/\(id)/cancel", [:]).status == .ok)
            let job = try await client.waitForJob(id) { $0["status"] as? String != "running" }
            #expect(job["status"] as? String == "cancelled")
            #expect((job["step"] as? Int ?? 0) < 2000)
            #expect(try await client.get("/api/jobs/\(id)/result").data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }

    @Test func aFullQueueAndImpossibleSettingsAreRefused() async throws {
        let studio = try StudioTesting { $0.queueLimit = 1 }
        defer { studio.removeFolder() }
        try await studio.application().test(.live) { client in
            let (photo, painting) = try await client.uploadTinyPair()
            let long: [String: Any] = ["method": "gatys", "photo": photo, "style": ["painting": painting], "steps": 2000]
            let first = try #require(try await client.postJSON("/api/jobs", long).object()["id"] as? String)
            _ = try await client.waitForJob(first) { $0["status"] as? String == "running" }
            let second = try await client.postJSON("/api/jobs", long)
            #expect(try second.object()["position"] as? Int == 1)
            let third = try await client.postJSON("/api/jobs", long)
            #expect(third.status == .tooManyRequests && third.errorCode == "queue_full")

            let refusals: [([String: Any], String)] = [
                (["method": "gatys", "photo": photo, "style": ["builtin": 3]], "builtin_style_needs_instant"),
                (["method": "instant", "photo": photo, "style": ["builtin": 26]], "unknown_style"),
                (["method": "instant", "photo": painting, "style": ["builtin": 1]], "wrong_role"),
                (["method": "instant", "photo": "nonesuch", "style": ["builtin": 1]], "not_found"),
                (["method": "gatys", "photo": photo, "style": ["painting": painting], "steps": 0], "bad_steps"),
                (["method": "instant", "photo": photo, "style": ["builtin": 1], "strength": 2], "bad_strength"),
            ]
            for (settings, code) in refusals {
                #expect(try await client.postJSON("/api/jobs", settings).errorCode == code)
            }
            let secondID = try #require(try second.object()["id"] as? String)
            #expect(try await client.execute(uri: "/api/jobs/\(first)", method: .delete).errorCode == "job_active")
            #expect(try await client.execute(uri: "/api/images/\(painting)", method: .delete).errorCode == "image_in_use")
            #expect(try await client.postJSON("/api/jobs/\(secondID)/cancel", [:]).status == .ok)
            #expect(try await client.get("/api/jobs/\(secondID)").object()["status"] as? String == "cancelled")
            _ = try await client.postJSON("/api/jobs/\(first)/cancel", [:])
            _ = try await client.waitForJob(first) { $0["status"] as? String == "cancelled" }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func aServerStopMarksTheRunningJobInterruptedAndKeepsItsLastImage() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        let (id, watcher) = try await studio.application().test(.live) { client in
            let (photo, painting) = try await client.uploadTinyPair()
            let id = try #require(try await client.postJSON(
                "/api/jobs", ["method": "gatys", "photo": photo, "style": ["painting": painting], "steps": 2000]).object()["id"] as? String)
            _ = try await client.waitForJob(id) { $0["image"] is String }
            // A page still watching the job must not hold the stop up (the server waits for open
            // requests before the queue stops the job).
            let watcher = Process()
            watcher.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            watcher.arguments = ["curl", "-sN", "http://127.0.0.1:\(try #require(client.port))/api/jobs/\(id)/events"]
            watcher.standardOutput = FileHandle.nullDevice
            try watcher.run()
            try await Task.sleep(for: .milliseconds(500))
            return (id, watcher)
        }
        watcher.waitUntilExit()
        // The test framework stops the server gracefully when the closure returns; a new one
        // on the same folder shows the job as the old one left it.
        try await studio.application().test(.router) { client in
            let job = try await client.get("/api/jobs/\(id)").object()
            #expect(job["status"] as? String == "interrupted")
            #expect(try await client.get("/api/jobs/\(id)/result?format=jpeg").data.starts(with: [0xFF, 0xD8, 0xFF]))
        }
    }

    @Test func requestsFromOtherSitesAreRefused() async throws {
        let studio = try StudioTesting()
        defer { studio.removeFolder() }
        try await studio.application().test(.live) { client in
            let (photo, painting) = try await client.uploadTinyPair()
            let job: [String: Any] = ["method": "instant", "photo": photo, "style": ["builtin": 1]]
            let body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: job))
            let foreign = try await client.execute(uri: "/api/jobs", method: .post,
                                                   headers: [.contentType: "text/plain", .origin: "http://evil.example"], body: body)
            #expect(foreign.status == .forbidden && foreign.errorCode == "cross_origin")
            // A name rebound to 127.0.0.1 arrives with its own Host header.
            let curl = Process()
            let output = Pipe()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            curl.arguments = ["curl", "-s", "-H", "Host: evil.example:8080", "http://127.0.0.1:\(try #require(client.port))/api/images"]
            curl.standardOutput = output
            try curl.run()
            let rebound = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            curl.waitUntilExit()
            #expect(rebound.contains(#""code":"bad_host""#), "\(rebound)")
            let own = try await client.execute(uri: "/api/jobs", method: .post,
                                               headers: [.origin: "http://localhost:\(try #require(client.port))"], body: body)
            #expect(own.status == .accepted, "\(own.text)")
            // Gatys keeps VGG19's activations: one request must not ask for gigabytes.
            #expect(try await client.postJSON("/api/jobs", ["method": "gatys", "photo": photo, "style": ["painting": painting], "size": 2048])
                .errorCode == "bad_size")
        }
    }
}
