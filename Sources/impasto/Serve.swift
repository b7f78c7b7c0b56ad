import ArgumentParser
import Foundation
import ImpastoStudio
import Synchronization

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the studio: a local web page to paint photos, watch them form, keep a gallery and go live on the webcam.",
        discussion: """
            Serves the page and its API on http://HOST:PORT/ (loopback unless --host says otherwise: \
            the studio has no accounts). Uploads, results and the history live in the data folder. \
            Ctrl-C stops the server; a running job keeps its last image and is marked interrupted.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port = 8080

    @Option(help: "The folder for uploads, results and the history (default: the cache folder's studio/).")
    var data: String?

    @Option(help: "The largest upload accepted, in megabytes.")
    var uploadLimitMb = 25

    @Option(help: "Jobs that may wait behind the running one.")
    var queueLimit = 20

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535, not \(port)") }
        guard uploadLimitMb >= 1 else { throw ValidationError("--upload-limit-mb must be at least 1, not \(uploadLimitMb)") }
        guard queueLimit >= 1 else { throw ValidationError("--queue-limit must be at least 1, not \(queueLimit)") }
    }

    func run() throws {
        var configuration = StudioConfiguration(dataFolder: data.map { URL(fileURLWithPath: $0, isDirectory: true) })
        (configuration.host, configuration.port) = (host, port)
        configuration.uploadLimit = uploadLimitMb << 20
        configuration.queueLimit = queueLimit
        let dataPath = configuration.dataFolder.path
        let application = try buildApplication(configuration: configuration) { address in
            Terminal.status("Impasto studio: http://\(address)/  (data in \(dataPath); Ctrl-C stops)")
        }
        try Self.block { try await application.runService() }
    }

    /// Runs `body` to its end from this synchronous command (the CLI's entry point is synchronous).
    private static func block(_ body: @escaping @Sendable () async throws -> Void) throws {
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<Void, any Error>
            do {
                try await body()
                result = .success(())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        try outcome.withLock { $0 }?.get()
    }
}
