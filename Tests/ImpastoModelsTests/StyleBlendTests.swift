import ImpastoModels
import Testing

@Suite("Style blends of the 26-style network")
struct StyleBlendTests {
    @Test func oneStyleHasAllTheWeight() throws {
        let blend = try StyleBlend(parsing: "19")
        #expect(blend.weights[19] == 1 && blend.weights.reduce(0, +) == 1)
    }

    @Test func weightsAreRelative() throws {
        let blend = try StyleBlend(parsing: "3:1, 12:3")
        #expect(blend.weights[3] == 0.25 && blend.weights[12] == 0.75)
        #expect(blend == (try StyleBlend(parsing: "3:0.25,12:0.75")))
    }

    @Test(arguments: [
        ("26", "has no style 26; the styles are 0–25"),
        ("-1", "has no style -1; the styles are 0–25"),
        ("3:0.5,3:0.5", "names style 3 twice"),
        ("3:-1", "gives style 3 the weight -1.0; weights must be ≥ 0"),
        ("3:nan", "gives style 3 the weight nan; weights must be ≥ 0"),
        ("3:0", "gives every style the weight 0"),
        ("", "'' is not a style number 0–25 or style:weight (e.g. 19 or 3:0.5,12:0.5)"),
        ("starry", "'starry' is not a style number 0–25 or style:weight (e.g. 19 or 3:0.5,12:0.5)"),
        ("3:0.5,", "'' is not a style number 0–25 or style:weight (e.g. 19 or 3:0.5,12:0.5)"),
        ("3:x", "'3:x' is not a style number 0–25 or style:weight (e.g. 19 or 3:0.5,12:0.5)"),
    ])
    func refusesBadText(text: String, message: String) {
        let error = #expect(throws: StyleBlendError.self) { try StyleBlend(parsing: text) }
        #expect(error?.description == message)
    }

    @Test func refusesAWeightListOfTheWrongLength() {
        #expect(throws: StyleBlendError.wrongCount(25)) { try StyleBlend(weights: Array(repeating: 1, count: 25)) }
    }
}
