import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// The studio as a Hummingbird application, shared by `impasto serve` and the tests: the page,
/// the JSON API, the job events and the live WebSocket, with the job queue as a service that
/// stops with the server. `onListening` hears the address once the server listens.
public func buildApplication(configuration: StudioConfiguration,
                             logger: Logger = Logger(label: "impasto.studio"),
                             onListening: @escaping @Sendable (String) -> Void = { _ in }) throws -> some ApplicationProtocol {
    let studio = try Studio(configuration: configuration)
    let router = Router(context: BasicWebSocketRequestContext.self)
    router.add(middleware: StudioErrorMiddleware())
    router.add(middleware: SameOriginMiddleware(host: configuration.host))
    PageRoutes.add(to: router)
    ImageRoutes(studio: studio).add(to: router)
    StyleRoutes(studio: studio).add(to: router)
    JobRoutes(studio: studio).add(to: router)
    LiveRoute(studio: studio).add(to: router)
    var app = Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: router,
                                       configuration: .init(ws: .init(maxFrameSize: LiveRoute.maximumMessage))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: "impasto-studio"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            onListening("\(configuration.host):\(port)")
        },
        logger: logger
    )
    app.addServices(studio.queue)
    return app
}

/// Only the studio's own page may drive it. A page from any other site the user visits could
/// otherwise post jobs and uploads to 127.0.0.1 (browsers send such requests), or read the
/// user's photos by rebinding its own domain name to 127.0.0.1. So a request must name a
/// loopback host when the server listens on loopback, and a request that changes something, or
/// opens the live WebSocket, must come from the same origin when it says where it comes from.
struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let host: String

    static var loopbackNames: Set<String> { ["127.0.0.1", "localhost", "[::1]", "::1"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestHost = request.head.authority.map(Self.hostName)
        if Self.loopbackNames.contains(host), let requestHost, !Self.loopbackNames.contains(requestHost) {
            throw StudioError(.forbidden, "bad_host", "the studio answers requests for localhost only, not \(requestHost.prefix(60))")
        }
        let changes = request.method != .get && request.method != .head
        let upgrades = request.headers[.upgrade]?.lowercased() == "websocket"
        if changes || upgrades, let origin = request.headers[.origin] {
            let originHost = URL(string: origin)?.host.map { $0.contains(":") ? "[\($0)]" : $0 }
            guard let originHost, originHost == requestHost || (Self.loopbackNames.contains(originHost) && requestHost.map(Self.loopbackNames.contains) == true) else {
                throw StudioError(.forbidden, "cross_origin", "requests from \(origin.prefix(60)) are refused; use the studio's own page")
            }
        }
        return try await next(request, context)
    }

    /// `host:port` → `host` (an IPv6 address keeps its brackets).
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return String(authority[...end]).lowercased() }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "").lowercased()
    }
}

/// Every failure leaves as JSON: the studio's own errors as they are, Hummingbird's (a body too
/// large, a malformed request) with their status, and anything else as a 500 with its message.
struct StudioErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StudioError {
            throw error
        } catch let error as HTTPError {
            throw StudioError(error.status, "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
        } catch {
            throw StudioError(.internalServerError, "internal", String(describing: error))
        }
    }
}
