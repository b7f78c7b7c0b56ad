import ImpastoCore

/// A grid of equally sized images, each with its number (0, 1, …, row by row) drawn in black on
/// a white strip under it: the 26 built-in styles on one photo, numbered as `--builtin` takes them.
///
/// The numbers are drawn with a 3 × 5 pixel font scaled up (`DigitFont`), as Impasto has no text
/// rendering of its own and libvips' needs fonts the machine may lack.
public enum ContactSheet {
    /// `tiles` (each `1 × 3 × H × W`, all the same shape) laid out `columns` to a row on a white
    /// background: `columns·W` wide and `rows·(H + labelHeight(W))` high.
    public static func composed(_ tiles: [Tensor], columns: Int) -> Tensor {
        precondition(!tiles.isEmpty && columns >= 1, "ContactSheet needs tiles and at least one column")
        let tile = tiles[0].shape
        precondition(tiles.allSatisfy { $0.shape == tile } && tile.n == 1 && tile.c == 3,
                     "ContactSheet tiles must all be 1×3×H×W of one size")
        let label = labelHeight(tileWidth: tile.w)
        let rows = (tiles.count + columns - 1) / columns
        var canvas = Canvas(width: columns * tile.w, height: rows * (tile.h + label))
        for (index, image) in tiles.enumerated() {
            let (left, top) = (index % columns * tile.w, index / columns * (tile.h + label))
            canvas.paste(image, left: left, top: top)
            let scale = DigitFont.scale(tileWidth: tile.w)
            let text = String(index)
            let textLeft = left + (tile.w - DigitFont.width(of: text, scale: scale)) / 2
            canvas.draw(text, left: textLeft, top: top + tile.h + scale, scale: scale)
        }
        return canvas.tensor
    }

    /// The strip under each tile: the digits' 5 rows and a row of margin above and below, scaled.
    public static func labelHeight(tileWidth: Int) -> Int {
        (DigitFont.rows + 2) * DigitFont.scale(tileWidth: tileWidth)
    }
}

/// An RGB image being drawn on, NCHW, white to start.
private struct Canvas {
    let width: Int
    let height: Int
    var values: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        values = [Float](repeating: 1, count: 3 * width * height)
    }

    mutating func paste(_ image: Tensor, left: Int, top: Int) {
        let (pixels, w, h) = (image.laidOut(as: .nchw).scalars, image.shape.w, image.shape.h)
        for channel in 0..<3 {
            for y in 0..<h {
                let from = (channel * h + y) * w
                let to = (channel * height + top + y) * width + left
                values.replaceSubrange(to..<(to + w), with: pixels[from..<(from + w)])
            }
        }
    }

    /// `text` (digits only) in black, each font pixel a `scale × scale` square.
    mutating func draw(_ text: String, left: Int, top: Int, scale: Int) {
        for (position, character) in text.enumerated() {
            let glyphLeft = left + position * (DigitFont.columns + 1) * scale
            for row in 0..<DigitFont.rows {
                for column in 0..<DigitFont.columns where DigitFont.isInk(character, row: row, column: column) {
                    fill(left: glyphLeft + column * scale, top: top + row * scale, size: scale)
                }
            }
        }
    }

    private mutating func fill(left: Int, top: Int, size: Int) {
        for channel in 0..<3 {
            for y in top..<min(top + size, height) {
                for x in max(left, 0)..<min(left + size, width) { values[(channel * height + y) * width + x] = 0 }
            }
        }
    }

    var tensor: Tensor { Tensor(shape: Shape(1, 3, height, width), scalars: values) }
}

/// The digits 0–9 as 3 × 5 pixel glyphs, five rows of three, `#` for ink.
enum DigitFont {
    static let (columns, rows) = (3, 5)

    private static let glyphs: [Character: [String]] = [
        "0": ["###", "#.#", "#.#", "#.#", "###"], "1": [".#.", "##.", ".#.", ".#.", "###"],
        "2": ["###", "..#", "###", "#..", "###"], "3": ["###", "..#", "###", "..#", "###"],
        "4": ["#.#", "#.#", "###", "..#", "..#"], "5": ["###", "#..", "###", "..#", "###"],
        "6": ["###", "#..", "###", "#.#", "###"], "7": ["###", "..#", "..#", "..#", "..#"],
        "8": ["###", "#.#", "###", "#.#", "###"], "9": ["###", "#.#", "###", "..#", "###"],
    ]

    static func isInk(_ digit: Character, row: Int, column: Int) -> Bool {
        guard let glyph = glyphs[digit] else { preconditionFailure("DigitFont draws digits only, not \(digit)") }
        return Array(glyph[row])[column] == "#"
    }

    /// Image pixels per font pixel: 1 up to tiles 127 wide, then one more per 64 pixels of width
    /// (digits 20 pixels high under 256-pixel tiles).
    static func scale(tileWidth: Int) -> Int { max(1, tileWidth / 64) }

    /// Width of `text` in image pixels: glyphs one font pixel apart.
    static func width(of text: String, scale: Int) -> Int { (text.count * (columns + 1) - 1) * scale }
}
