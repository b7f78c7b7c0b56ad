import Foundation
import Hummingbird
import HummingbirdWebSocket
import ImpastoStyle
import Synchronization

/// The live webcam: the page sends its settings as JSON text (`{"style": …, "strength": 0.8,
/// "width": 320, "height": 240}`, again whenever they change) and camera frames as binary RGBA;
/// each frame comes back stylised, the same size. A frame that arrives while the last is still
/// being painted replaces any other waiting one: frames are dropped, never queued, so the
/// picture stays live when the server is behind. Every frame is answered exactly once — painted,
/// `{"type": "skipped"}` when dropped, or an error naming it — so the page can count what it
/// has in flight. Once a second a text message reports
/// `{"type": "stats", "serverMilliseconds": …, "frames": …, "dropped": …}`.
struct LiveRoute: Sendable {
    let studio: Studio

    /// The largest frame: 1280 × 960 RGBA.
    static let maximumSide = (width: 1280, height: 960)
    static let maximumMessage = maximumSide.width * maximumSide.height * 4

    struct Settings: Codable, Sendable {
        var style: StyleChoice
        var strength: Float?
        var width: Int
        var height: Int
    }

    func add(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("/api/live") { inbound, outbound, _ in
            try await session(inbound: inbound, outbound: outbound)
        }
    }

    private func session(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (frames, waiting) = AsyncStream<(LiveFrame, FastStylizer)>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let dropped = DropCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var current: (settings: Settings, stylizer: FastStylizer)?
                for try await message in inbound.messages(maxSize: Self.maximumMessage) {
                    switch message {
                    case .text(let text):
                        do {
                            current = try await configure(text)
                        } catch {
                            try await outbound.write(.text(Self.errorMessage(error)))
                        }
                    case .binary(let buffer):
                        guard let current else {
                            try await outbound.write(.text(Self.errorMessage(StudioError.badRequest("no_settings", "send the settings before the first frame"))))
                            continue
                        }
                        let (width, height) = (current.settings.width, current.settings.height)
                        guard buffer.readableBytes == width * height * 4 else {
                            try await outbound.write(.text(Self.errorMessage(StudioError.badRequest(
                                "bad_frame", "a \(width)×\(height) frame is \(width * height * 4) bytes of RGBA, not \(buffer.readableBytes)"))))
                            continue
                        }
                        let frame = LiveFrame(width: width, height: height, rgba: Array(buffer.readableBytesView))
                        if case .dropped = waiting.yield((frame, current.stylizer)) {
                            dropped.count.add(1, ordering: .relaxed)
                            try await outbound.write(.text(#"{"type":"skipped"}"#))
                        }
                    }
                }
                waiting.finish()
            }
            group.addTask {
                var timings: [Double] = []
                var lastReport = ContinuousClock.now
                for await (frame, stylizer) in frames {
                    let started = ContinuousClock.now
                    let painted = try await Blocking.run { LiveFrame(try stylizer.stylize(frame.image)).rgba }
                    try await outbound.write(.binary(ByteBuffer(bytes: painted)))
                    timings.append(Self.milliseconds(ContinuousClock.now - started))
                    if ContinuousClock.now - lastReport >= .seconds(1) {
                        lastReport = .now
                        try await outbound.write(.text(Self.stats(timings, dropped: dropped.count.load(ordering: .relaxed))))
                        timings.removeAll()
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The stylizer for new settings (loading the network, and a painting's style vector, the
    /// first time).
    private func configure(_ text: String) async throws -> (Settings, FastStylizer) {
        let settings: Settings
        do {
            settings = try JSONDecoder().decode(Settings.self, from: Data(text.utf8))
        } catch {
            throw StudioError.badRequest("bad_json", "live settings are {\"style\": …, \"strength\": …, \"width\": …, \"height\": …}")
        }
        guard (8...Self.maximumSide.width).contains(settings.width), (8...Self.maximumSide.height).contains(settings.height) else {
            throw StudioError.badRequest("bad_size", "live frames are 8×8 to \(Self.maximumSide.width)×\(Self.maximumSide.height), not \(settings.width)×\(settings.height)")
        }
        let job = JobSettings(method: .instant, photo: "", style: settings.style, strength: settings.strength)
        try job.validate()
        let painting = try studio.runner.paintingURL(settings.style)
        let networks = studio.networks
        let network = try await Blocking.run { try networks.network(for: settings.style, painting: painting) }
        return (settings, FastStylizer(network: network, strength: job.effectiveStrength))
    }

    private static func errorMessage(_ error: any Error) -> String {
        let studioError = error as? StudioError ?? StudioError(.internalServerError, "internal", "\(error)")
        let body = try? JSONEncoder().encode(["type": "error", "code": studioError.code, "message": studioError.message])
        return String(decoding: body ?? Data(), as: UTF8.self)
    }

    private static func stats(_ timings: [Double], dropped: Int) -> String {
        let sorted = timings.sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        return "{\"type\":\"stats\",\"serverMilliseconds\":\(String(format: "%.1f", median)),\"frames\":\(timings.count),\"dropped\":\(dropped)}"
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }
}

/// Frames replaced before they were painted, counted by the reading task and reported by the
/// painting one.
private final class DropCounter: Sendable {
    let count = Atomic<Int>(0)
}
