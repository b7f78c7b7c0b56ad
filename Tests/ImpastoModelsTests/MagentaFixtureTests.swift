import Foundation
import ImpastoModels
import Testing

/// The onnxruntime parity fixtures of `Tools/reference/make_magenta_fixtures.py`, as the native
/// networks' tests will read them.
struct MagentaFixture: Decodable {
    struct Input: Decodable {
        var seed: Int
        var width: Int
        var height: Int
        var sum: Double
    }

    struct Output: Decodable {
        var shape: [Int]
        var layout: String
        var channel_sums: [Double]
        var channel_means: [Double]
        var sample_positions: [Int]
        var sample_values: [Double]
    }

    var magic: String
    var version: Int
    var model: String
    var sha256: String
    var input: Input
    var output: Output?

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/magenta")

    static func load(_ name: String) throws -> MagentaFixture {
        try JSONDecoder().decode(MagentaFixture.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// The script's `synthetic_image`, HWC: ((5x + 3y + 85c + 4((xy + seed) mod 17) + 29 seed) mod 256) / 255,
    /// integer arithmetic and one correctly rounded Float32 division, so it is the same bit for bit.
    static func syntheticImage(width: Int, height: Int, seed: Int) -> [Float] {
        var pixels: [Float] = []
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 {
                    let k = (5 * x + 3 * y + 85 * c + 4 * ((x * y + seed) % 17) + 29 * seed) % 256
                    pixels.append(Float(k) / 255)
                }
            }
        }
        return pixels
    }
}

@Suite("Magenta parity fixtures")
struct MagentaFixtureTests {
    static let files = ["arbitrary-predict.json", "arbitrary-transform-64x64.json", "arbitrary-transform-50x38.json",
                        "multistyle26-64x64.json", "multistyle26-50x38.json"]

    @Test(arguments: files)
    func belongsToTheFileInTheManifest(name: String) throws {
        let fixture = try MagentaFixture.load(name)
        #expect(fixture.magic == "impasto-magenta-parity" && fixture.version == 1)
        #expect(Artefact.magentaModels.first { $0.id == fixture.model }?.sha256 == fixture.sha256)
    }

    @Test(arguments: files)
    func itsInputIsRebuiltFromTheFormula(name: String) throws {
        let input = try MagentaFixture.load(name).input
        let image = MagentaFixture.syntheticImage(width: input.width, height: input.height, seed: input.seed)
        // numpy sums pairwise, this sums in order: the two may differ in the last bits, a wrong formula by far more.
        #expect(abs(image.reduce(0.0) { $0 + Double($1) } - input.sum) < 1e-6)
    }

    @Test(arguments: files.dropFirst())
    func itsOutputSummaryIsConsistent(name: String) throws {
        let output = try #require(try MagentaFixture.load(name).output)
        let count = output.shape.reduce(1, *)
        let channels = output.layout == "NCHW" ? output.shape[1] : output.shape[3]
        #expect(output.channel_sums.count == channels && output.sample_values.count == output.sample_positions.count)
        #expect(output.sample_positions.allSatisfy { (0..<count).contains($0) })
        for (sum, mean) in zip(output.channel_sums, output.channel_means) {
            #expect(abs(sum / Double(count / channels) - mean) < 1e-12)
        }
    }
}
