import ImpastoCore
import ImpastoStyle
import Testing

@Suite("Contact sheet of styles")
struct ContactSheetTests {
    /// 26 tiles of 12 × 10, each one flat grey level, six to a row.
    private static let tiles = (0..<26).map { Tensor(repeating: Float($0 + 1) / 100, shape: Shape(1, 3, 10, 12)) }

    @Test func laysTheTilesOutRowByRowWithALabelStripUnderEach() {
        let sheet = ContactSheet.composed(Self.tiles, columns: 6)
        let label = ContactSheet.labelHeight(tileWidth: 12)
        #expect(label == 7)
        #expect(sheet.shape == Shape(1, 3, 5 * (10 + label), 6 * 12))
        let values = sheet.scalars
        func pixel(_ x: Int, _ y: Int) -> Float { values[y * sheet.shape.w + x] }
        for index in [0, 5, 6, 25] {
            let (left, top) = (index % 6 * 12, index / 6 * (10 + label))
            #expect(pixel(left + 3, top + 4) == Float(index + 1) / 100, "tile \(index)")
        }
        // The empty places after tile 25 stay white.
        #expect(pixel(5 * 12 + 6, 4 * (10 + label) + 5) == 1)
    }

    /// Tile 0's label is the 3 × 5 glyph of 0, centred under it; tile 25's has two glyphs.
    @Test func numbersEachTileInBlack() {
        let sheet = ContactSheet.composed(Self.tiles, columns: 6)
        let values = sheet.scalars
        let width = sheet.shape.w
        func ink(inStripOf index: Int) -> [[Bool]] {
            let (left, top) = (index % 6 * 12, index / 6 * 17 + 10)
            return (0..<7).map { y in (0..<12).map { x in values[(top + y) * width + left + x] == 0 } }
        }
        let zero = ink(inStripOf: 0).map { String($0.map { $0 ? "#" : "." }) }
        #expect(zero == ["............", "....###.....", "....#.#.....", "....#.#.....", "....#.#.....",
                         "....###.....", "............"])
        let twentyFive = ink(inStripOf: 25).map { String($0.map { $0 ? "#" : "." }) }
        #expect(twentyFive[1] == "..###.###...")
        #expect(twentyFive[3] == "..###.###...")
    }
}
