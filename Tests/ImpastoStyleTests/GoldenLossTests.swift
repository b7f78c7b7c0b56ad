import Foundation
import ImpastoCore
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// The reference loss, its gradient and 10 Keras-Adam steps against `Tests/Fixtures/golden`.
@Suite("Golden loss, gradient and Adam parity")
struct GoldenLossTests {
    static let styleLayers: [VGG19.Layer: Float] = [
        .block1_conv1: 1, .block2_conv1: 1, .block3_conv1: 1, .block4_conv1: 1, .block5_conv1: 1,
    ]

    func objective(_ weights: LossWeights = LossWeights()) throws -> StyleObjective {
        StyleObjective(network: try TestWeights.vgg19(), content: Golden.contentImage(), style: Golden.styleImage(),
                       contentLayers: [.block5_conv2], styleLayers: Self.styleLayers, weights: weights)
    }

    @Test(arguments: [("loss_init", "grad_init"), ("loss_perturbed", "grad_perturbed")])
    func lossAndGradientMatch(_ keys: (loss: String, gradient: String)) throws {
        let golden = try Golden.load()
        let image = keys.loss == "loss_init" ? Golden.contentImage() : Golden.perturbedImage()
        let x = image.requiringGradient()
        let (loss, report) = try objective().evaluate(x)
        let expected = golden.dictionary(keys.loss)

        #expect(isClose(Double(loss.item), golden.number(keys.loss, "total"), relative: 1e-4))
        #expect(isClose(report.total, golden.number(keys.loss, "total"), relative: 1e-4))
        #expect(isClose(report.content, golden.number(keys.loss, "content_term"), relative: 1e-4, absolute: 1e-3))
        #expect(isClose(report.style, golden.number(keys.loss, "style_term"), relative: 1e-4))
        #expect(isClose(report.totalVariation, golden.number(keys.loss, "tv_term"), relative: 1e-4))
        for (name, value) in expected["per_layer"] as! [String: NSNumber] {
            let actual = try #require(report.perLayer[name], "no \(name) in the report")
            #expect(isClose(actual, value.doubleValue, relative: 1e-4, absolute: 1e-3), "\(name): \(actual) vs \(value)")
        }
        expectGradient(gradients(of: loss, withRespectTo: [x])[0], matches: golden.dictionary(keys.gradient), keys.gradient)
    }

    @Test(arguments: ["content", "style", "tv"])
    func gradientOfEachTermMatches(_ term: String) throws {
        let golden = try Golden.load()
        let weights = LossWeights(content: term == "content" ? 1e4 : 0, style: term == "style" ? 1e-2 : 0,
                                  totalVariation: term == "tv" ? 4e-4 : 0)
        let x = Golden.perturbedImage().requiringGradient()
        let (loss, _) = try objective(weights).evaluate(x)
        expectGradient(gradients(of: loss, withRespectTo: [x])[0],
                       matches: golden.dictionary("grad_perturbed_by_term", term), "grad_perturbed_by_term/\(term)")
    }

    @Test func tenAdamStepsMatch() throws {
        let golden = try Golden.load()
        var transfer = GatysTransfer(objective: try objective(), initialImage: Golden.contentImage(), optimizer: Adam())
        let losses = (0..<10).map { _ in transfer.step().report.total }
        let expected = (golden.value("adam10", "loss_per_step") as! [NSNumber]).map(\.doubleValue)
        expectClose(losses, expected, relative: 1e-3, absolute: 0, "adam10 loss_per_step")
        let final = try objective().evaluate(transfer.image).report
        #expect(isClose(final.total, golden.number("adam10", "loss_after_10_updates"), relative: 1e-3))
        let pixels = transfer.image.scalars.map(Double.init)
        #expect(isClose(pixels.reduce(0, +), golden.number("adam10", "image_after", "sum"), relative: 1e-3))
        #expect(isClose(pixels.map { $0 * $0 }.reduce(0, +), golden.number("adam10", "image_after", "sum_sq"), relative: 1e-3))
    }

    /// L2 norm, sum, largest magnitude and sampled entries `[y, x, c, value]` (NHWC indices).
    private func expectGradient(_ gradient: Tensor, matches expected: [String: Any], _ what: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let values = gradient.scalars.map(Double.init)
        let norm = values.map { $0 * $0 }.reduce(0, +).squareRoot()
        let referenceNorm = (expected["l2_norm"] as! NSNumber).doubleValue
        // Entries and the sum are judged against the norm: the sum cancels heavily, and a tiny
        // entry's relative error means little next to the gradient's size.
        let absolute = 1e-4 * referenceNorm / Double(values.count).squareRoot() + 1e-12
        #expect(isClose(norm, referenceNorm, relative: 1e-4), "\(what) l2_norm \(norm) vs \(referenceNorm)",
                sourceLocation: sourceLocation)
        let sum = values.reduce(0, +), referenceSum = (expected["sum"] as! NSNumber).doubleValue
        #expect(isClose(sum, referenceSum, relative: 1e-4, absolute: absolute * 10), "\(what) sum \(sum) vs \(referenceSum)",
                sourceLocation: sourceLocation)
        let largest = values.map(abs).max()!, referenceLargest = (expected["abs_max"] as! NSNumber).doubleValue
        #expect(isClose(largest, referenceLargest, relative: 1e-4), "\(what) abs_max \(largest) vs \(referenceLargest)",
                sourceLocation: sourceLocation)
        let (h, w) = (gradient.shape.h, gradient.shape.w)
        for sample in expected["samples_y_x_c"] as! [[NSNumber]] {
            let (y, x, c, value) = (sample[0].intValue, sample[1].intValue, sample[2].intValue, sample[3].doubleValue)
            let actual = values[(c * h + y) * w + x]
            #expect(isClose(actual, value, relative: 1e-4, absolute: absolute), "\(what) [\(y),\(x),\(c)]: \(actual) vs \(value)",
                    sourceLocation: sourceLocation)
        }
    }
}
