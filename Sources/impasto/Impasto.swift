import ArgumentParser
import Foundation

@main
struct Impasto: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impasto",
        abstract: "Neural style transfer: repaint a photo in the style of a painting.",
        subcommands: [Stylize.self, Train.self, Apply.self, Video.self, Styles.self, ImportModel.self, Weights.self, Models.self,
                      Bench.self, Evaluate.self, Serve.self]
    )

    /// The commands that take `--config FILE`.
    static let configurable = [Stylize.configurable, Train.configurable, Apply.configurable, Video.configurable]

    /// ArgumentParser's own entry point, with `--config FILE` expanded into flags first (and
    /// negative numbers attached to their options, see `NegativeNumbers`), and every
    /// error said in one line (ArgumentParser would add the usage to a bad flag's).
    static func main() {
        do {
            let arguments = NegativeNumbers.attached(
                try ConfigFile.expand(Array(CommandLine.arguments.dropFirst()), commands: configurable))
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }
            FileHandle.standardError.write(Data(("Error: " + message(for: error) + "\n").utf8))
            Foundation.exit(Interrupt.received != 0 ? 128 + Interrupt.received : exitCode(for: error).rawValue)
        }
    }
}
