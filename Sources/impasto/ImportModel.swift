import ArgumentParser
import Foundation
import ImpastoModels

struct ImportModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-model",
        abstract: "Convert a PyTorch fast_neural_style model (pytorch/examples' TransformerNet .pth) to Impasto's format.")

    @Argument(help: "The PyTorch state dict (.pth or .pt, zip or legacy format).") var input: String
    @Option(name: .shortAndLong, help: "Where to write the model (.safetensors).") var output: String
    @Option(help: "The style's name to record (default: the input's file name).") var styleName: String?

    func run() throws {
        guard FileManager.default.fileExists(atPath: input) else { throw CommandError("\(input): no such file") }
        let outputURL = try checkOutput(output, flag: "--output", inputs: [input], extensions: ["safetensors"])
        var model: StyleModel
        do {
            model = try StyleModel.importPyTorch(contentsOf: URL(fileURLWithPath: input))
        } catch let error as WeightFileError {
            throw CommandError(error.description)
        }
        if let styleName { model.metadata.style = styleName }
        try model.save(to: outputURL)
        Terminal.status("Imported \(model.network.parameterCount) parameters (base width \(model.metadata.baseChannels)); wrote \(output)")
    }
}
