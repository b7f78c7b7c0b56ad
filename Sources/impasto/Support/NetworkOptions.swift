import ArgumentParser
import Foundation
import ImpastoModels

/// `--weights FILE`, shared by every command that runs VGG19.
struct NetworkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("VGG19 weights to use instead of the cached ones (PyTorch or safetensors).",
                               valueName: "file"))
    var weights: String?

    /// The network, fetching the cached weights first (and saying so) when they are missing.
    func loadNetwork() throws -> VGG19 {
        if let weights {
            let url = URL(fileURLWithPath: weights)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CommandError("--weights \(weights): no such file")
            }
            return try VGG19.load(contentsOf: url)
        }
        let path = try WeightsStore().ensure { Terminal.status($0) }
        return try VGG19.load(contentsOf: path)
    }
}

/// A one-line error for the user, printed by ArgumentParser as `Error: …`.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
