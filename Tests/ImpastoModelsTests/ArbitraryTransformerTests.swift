import Foundation
import ImpastoCore
import ImpastoModels
import Testing

/// The arbitrary-style transformer run natively against onnxruntime's output for the same photo
/// and style vector (`Fixtures/magenta/arbitrary-transform-*.json`, graph optimisations off), at
/// a square size and at one that is neither square nor a multiple of 4.
@Suite("Magenta arbitrary-style transformer")
struct ArbitraryTransformerTests {
    static func transformer() throws -> ArbitraryTransformer {
        try ArbitraryTransformer(model: try MagentaFiles.model(.magentaTransformer), file: Artefact.magentaTransformer.fileName)
    }

    static func onnxruntimeStyleVector() throws -> [Float] {
        try JSONDecoder().decode(StylePredictorTests.VectorFixture.self, from: Data(
            contentsOf: MagentaFixture.folder.appendingPathComponent("arbitrary-predict.json"))).style_vector.values
    }

    @Test(arguments: ["arbitrary-transform-64x64.json", "arbitrary-transform-50x38.json"])
    func matchesOnnxruntimesImage(name: String) throws {
        let fixture = try MagentaFixture.load(name)
        let expected = try #require(fixture.output)
        let (width, height) = (fixture.input.width, fixture.input.height)
        let photo = StylePredictorTests.planes(MagentaFixture.syntheticImage(width: width, height: height, seed: fixture.input.seed),
                                               width: width, height: height)
        let output = try Self.transformer().transform(photo, styleVector: try Self.onnxruntimeStyleVector())
        #expect([output.shape.n, output.shape.h, output.shape.w, output.shape.c] == expected.shape)
        let values = output.laidOut(as: .nchw).scalars
        let (outputHeight, outputWidth) = (output.shape.h, output.shape.w)
        // Sample positions index the NHWC output.
        let samples = expected.sample_positions.map { position -> Float in
            let (channel, pixel) = (position % 3, position / 3)
            return values[channel * outputHeight * outputWidth + pixel]
        }
        let differences = zip(samples, expected.sample_values).map { abs(Double($0) - $1) }
        let mean = differences.reduce(0, +) / Double(differences.count)
        #expect(differences.max()! <= 1e-4, "largest difference \(differences.max()!), mean \(mean), \(differences.count(where: { $0 > 1e-4 })) of \(differences.count) differ")
        for channel in 0..<3 {
            let plane = values[(channel * outputHeight * outputWidth)..<((channel + 1) * outputHeight * outputWidth)]
            let channelMean = Double(plane.reduce(0, +)) / Double(plane.count)
            #expect(abs(channelMean - expected.channel_means[channel]) <= 1e-5, "channel \(channel) mean \(channelMean)")
        }
    }
}
