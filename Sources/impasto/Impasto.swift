import ArgumentParser

@main
struct Impasto: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impasto",
        abstract: "Neural style transfer: repaint a photo in the style of a painting.",
        subcommands: [Stylize.self, Weights.self, Bench.self]
    )
}
