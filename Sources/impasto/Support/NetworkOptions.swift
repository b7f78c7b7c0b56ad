import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoModels

/// `--weights FILE` and `--convolutions`, shared by every command that runs VGG19.
struct NetworkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("VGG19 weights to use instead of the cached ones (PyTorch or safetensors).",
                               valueName: "file"))
    var weights: String?

    @Option(help: "automatic: Winograd for 3×3 stride-1 convolutions (about twice as fast), direct elsewhere; direct: direct everywhere.")
    var convolutions: ConvolutionAlgorithm = .automatic

    /// The network, fetching the cached weights first (and saying so) when they are missing.
    func loadNetwork() throws -> VGG19 {
        ConvolutionAlgorithm.current = convolutions
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
