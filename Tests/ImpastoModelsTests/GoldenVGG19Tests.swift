import Foundation
import ImpastoCore
import ImpastoModels
import Testing
import _TestSupport

/// VGG19 with the real weights against `Tests/Fixtures/golden` (float64 reference).
@Suite("Golden VGG19 parity")
struct GoldenVGG19Tests {
    @Test func dequantisedWeightsMatchChecksums() throws {
        let golden = try Golden.load()
        let network = try TestWeights.vgg19()
        for layer in VGG19.Layer.allCases {
            let expected = golden.dictionary("weights_checksums", "layers", layer.rawValue)
            let weight = network.parameters[layer]!.weight.scalars.map(Double.init)
            let bias = network.parameters[layer]!.bias.scalars.map(Double.init)
            let cin = layer.inputChannels
            // Keras kernel[ky, kx, cin, cout] is OIHW weight[cout, cin, ky, kx].
            let actual: [String: Double] = [
                "kernel_sum": weight.reduce(0, +),
                "kernel_sum_sq": weight.map { $0 * $0 }.reduce(0, +),
                "kernel_0_0_0_0": weight[0],
                "kernel_2_1_0_1": weight[((1 * cin + 0) * 3 + 2) * 3 + 1],
                "bias_sum": bias.reduce(0, +),
                "bias_0": bias[0],
            ]
            for (key, value) in actual {
                let reference = (expected[key] as! NSNumber).doubleValue
                #expect(isClose(value, reference, relative: 1e-9, absolute: 1e-12), "\(layer) \(key): \(value) vs \(reference)")
            }
        }
    }

    @Test(arguments: ["content", "style"])
    func layerStatisticsMatch(_ input: String) throws {
        let golden = try Golden.load()
        let image = input == "content" ? Golden.contentImage() : Golden.styleImage()
        let features = try TestWeights.vgg19().features(of: image, layers: VGG19.Layer.allCases)
        for layer in VGG19.Layer.allCases {
            let values = features[layer]!.scalars.map(Double.init)
            let count = Double(values.count)
            let mean = values.reduce(0, +) / count
            let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / count).squareRoot()
            let sumSquares = values.map { $0 * $0 }.reduce(0, +)
            for (key, value) in [("mean", mean), ("std", std), ("sum_sq", sumSquares)] {
                let reference = golden.number("layers", input, layer.rawValue, key)
                #expect(isClose(value, reference, relative: 1e-4), "\(input) \(layer) \(key): \(value) vs \(reference)")
            }
        }
    }

    @Test(arguments: ["content", "style"])
    func gramNormsMatch(_ input: String) throws {
        let golden = try Golden.load()
        let image = input == "content" ? Golden.contentImage() : Golden.styleImage()
        let layers = golden.dictionary("gram_fro", input).keys.compactMap(VGG19.Layer.init(name:))
        #expect(layers.count == 5)
        let features = try TestWeights.vgg19().features(of: image, layers: layers)
        for layer in layers {
            let gram = gramMatrix(features[layer]!, divisor: Float(features[layer]!.shape.h * features[layer]!.shape.w))
            let norm = gram.scalars.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
            let reference = golden.number("gram_fro", input, layer.rawValue)
            #expect(isClose(norm, reference, relative: 1e-4), "\(input) \(layer): \(norm) vs \(reference)")
        }
    }
}
