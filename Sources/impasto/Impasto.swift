import ArgumentParser
import Foundation

@main
struct Impasto: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impasto",
        abstract: "Neural style transfer: repaint a photo in the style of a painting.",
        subcommands: [Stylize.self, Train.self, Apply.self, Video.self, ImportModel.self, Weights.self, Bench.self]
    )

    /// ArgumentParser's own entry point, with `stylize --config FILE` expanded into flags first.
    static func main() {
        do {
            let arguments = try ConfigFile.expand(Array(CommandLine.arguments.dropFirst()), subcommand: "stylize",
                                                  keys: Stylize.configKeys, booleanFlags: Stylize.booleanFlags)
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
