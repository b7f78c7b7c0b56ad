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
