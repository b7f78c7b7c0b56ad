import ArgumentParser
import Foundation
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Styles: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the 26 built-in styles on a photo: a contact sheet, numbered as --builtin takes them.",
        discussion: "Tiles run row by row from style 0 to 25, each number drawn under its tile. The 26-style network "
            + "is fetched on first use.")

    @Argument(help: "The photo.") var photo: String
    @Option(name: .shortAndLong, help: "The contact sheet to write (.jpg, .png, .webp or .tif).") var output: String
    @Option(help: "Shrink the photo so that each tile's longer side is at most this.") var tile = 256
    @Option(help: "Tiles per row.") var columns = 6
    @OptionGroup var look: OnePassLookOptions
    @OptionGroup var quality: OutputQualityOptions
    @Flag(help: "Print nothing but errors.") var quiet = false

    func validate() throws {
        guard tile >= 16 else { throw ValidationError("--tile must be at least 16 pixels, not \(tile)") }
        guard (1...MultiStyleNetwork.styleCount).contains(columns) else {
            throw ValidationError("--columns must be 1–\(MultiStyleNetwork.styleCount), not \(columns)")
        }
    }

    func run() throws {
        let destination = try checkOutput(output, flag: "--output", inputs: [photo])
        let image = try ImageSource.file(URL(fileURLWithPath: photo)).load(maxDimension: tile)
        let network = try MultiStyleNetwork.fetched { line in if !quiet { Terminal.status(line) } }
        let started = ContinuousClock.now
        let tiles = try (0..<MultiStyleNetwork.styleCount).map { style in
            if !quiet && Terminal.isInteractive { Terminal.overwrite("style \(style + 1)/\(MultiStyleNetwork.styleCount)") }
            return try FastStylizer(network: .builtin(network, try .single(style)), strength: look.strength,
                                colorPreservation: look.preserveColors).stylize(image)
        }
        let sheet = ContactSheet.composed(tiles, columns: columns)
        try ImageFile.save(sheet, to: destination, quality: quality.quality)
        guard !quiet else { return }
        if Terminal.isInteractive { Terminal.status("") }
        Terminal.status(String(format: "Wrote %@ (%d×%d): styles 0–%d row by row, %d to a row, %d×%d tiles, in %.1f s. "
                               + "Use one with `impasto apply --builtin N`.", output, sheet.shape.w, sheet.shape.h,
                               MultiStyleNetwork.styleCount - 1, columns, image.shape.w, image.shape.h,
                               (ContinuousClock.now - started).seconds))
    }
}
