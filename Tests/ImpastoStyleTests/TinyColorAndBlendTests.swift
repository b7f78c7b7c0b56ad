import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
@testable import ImpastoStyle
import Testing
import _TestSupport

@Suite("Colour control, style blends and scales (Tiny images)")
struct TinyColorAndBlendTests {
    @Test func squareRootOfACovarianceSquaresBack() {
        let m: [[Double]] = [[0.04, 0.01, 0.005], [0.01, 0.03, 0.002], [0.005, 0.002, 0.02]]
        let root = symmetricPower(m, 0.5)
        let back = multiply(root, root)
        let inverseRoot = symmetricPower(m, -0.5)
        let identity = multiply(multiply(inverseRoot, m), inverseRoot)
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(abs(back[i][j] - m[i][j]) < 1e-9)
                #expect(abs(identity[i][j] - (i == j ? 1 : 0)) < 1e-6)
            }
        }
    }

    @Test func histogramMatchingMovesTheStylesColourMeansToTheContents() throws {
        let content = try ImageFile.load(try Fixtures.tinyContent)
        let style = try ImageFile.load(try Fixtures.tinyStyle)
        let matched = ColorControl.matchingColors(of: style, to: content)
        func means(_ image: Tensor) -> [Float] {
            ColorControl.planes(image, through: ColorControl.identity).map { $0.reduce(0, +) / Float($0.count) }
        }
        for (a, b) in zip(means(matched), means(content)) { #expect(abs(a - b) < 0.02, "\(means(matched)) vs \(means(content))") }
        #expect(zip(means(style), means(content)).contains { abs($0 - $1) > 0.05 }, "the test images must differ in colour")
    }

    @Test func luminanceModeKeepsTheContentsChroma() throws {
        let content = try ImageFile.load(try Fixtures.tinyContent)
        let style = try ImageFile.load(try Fixtures.tinyStyle)
        let prepared = ColorControl.prepare(content: content, style: style, mode: .luminance)
        var configuration = StylizeConfiguration()
        configuration.epochs = 1
        configuration.stepsPerEpoch = 3
        var stylization = try Stylization(configuration: configuration, network: try TestWeights.vgg19(),
                                          content: prepared.content, style: prepared.style)
        try stylization.run { _ in }
        #expect(stylization.image.scalars != prepared.content.scalars, "the run must change the image")
        let result = ColorControl.finish(stylization.image, content: content, mode: .luminance)
        let (resultYIQ, contentYIQ) = (ColorControl.planes(result, through: ColorControl.toYIQ),
                                       ColorControl.planes(content, through: ColorControl.toYIQ))
        var worst: Float = 0
        for channel in 1...2 {
            for (a, b) in zip(resultYIQ[channel], contentYIQ[channel]) { worst = max(worst, abs(a - b)) }
        }
        #expect(worst <= 1 / 255, "chroma moved by \(worst * 255)/255")
    }

    @Test func aBlendWeightOfZeroIgnoresThatStyle() throws {
        let content = Golden.contentImage(), style = Golden.styleImage()
        let network = try TestWeights.vgg19()
        let layers: [VGG19.Layer: Float] = [.block1_conv1: 1, .block3_conv1: 1]
        let single = StyleObjective(network: network, content: content, style: style, contentLayers: [.block4_conv2],
                                    styleLayers: layers, weights: LossWeights())
        let blended = StyleObjective(network: network, content: content, styles: [(style, 2), (content, 0)],
                                     contentLayers: [.block4_conv2], styleLayers: layers, weights: LossWeights())
        for layer in layers.keys {
            #expect(single.styleTargets[layer]!.scalars == blended.styleTargets[layer]!.scalars)
        }
        let even = StyleObjective(network: network, content: content, styles: [(style, 1), (content, 1)],
                                  contentLayers: [.block4_conv2], styleLayers: layers, weights: LossWeights())
        #expect(even.styleTargets[.block1_conv1]!.scalars != single.styleTargets[.block1_conv1]!.scalars)
    }
}
