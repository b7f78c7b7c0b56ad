import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// No seams: after a short tiled run, neighbouring pixels differ no more across the tiles'
/// borders than elsewhere, where stylising the same tiles independently leaves a visible edge
/// (Tiny images, real weights).
@Suite("Tiled seams (Tiny images)")
struct TiledSeamTests {
    static let side = 16

    static var configuration: StylizeConfiguration {
        var configuration = StylizeConfiguration()
        (configuration.epochs, configuration.stepsPerEpoch, configuration.learningRate) = (1, 20, 0.05)
        (configuration.contentLayers, configuration.styleLayers) = ([.block2_conv2], [.block1_conv1, .block2_conv1])
        return configuration
    }

    /// Mean squared difference of neighbours straddling a tile border (every `side` pixels)
    /// over that of all other neighbours, in the change the stylisation made to the photo (so
    /// that the photo's own edges do not count).
    static func seamRatio(_ image: Tensor, content: Tensor) -> Double {
        let (height, width) = (image.shape.h, image.shape.w)
        let change = zip(image.scalars, content.scalars).map { Double($0 - $1) }
        var border = (sum: 0.0, count: 0), elsewhere = (sum: 0.0, count: 0)
        func pair(_ a: Int, _ b: Int, straddles: Bool) {
            let energy = (change[a] - change[b]) * (change[a] - change[b])
            if straddles {
                border = (border.sum + energy, border.count + 1)
            } else {
                elsewhere = (elsewhere.sum + energy, elsewhere.count + 1)
            }
        }
        for plane in 0..<3 {
            for row in 0..<height {
                for column in 0..<width {
                    let index = (plane * height + row) * width + column
                    if column > 0 { pair(index - 1, index, straddles: column % side == 0) }
                    if row > 0 { pair(index - width, index, straddles: row % side == 0) }
                }
            }
        }
        return (border.sum / Double(border.count)) / (elsewhere.sum / Double(elsewhere.count))
    }

    static func images() throws -> (content: Tensor, style: Tensor) {
        (try ImageFile.load(try Fixtures.tinyContent), try ImageFile.load(try Fixtures.tinyStyle))
    }

    @Test func aTiledRunLeavesNoSeam() throws {
        let (content, style) = try Self.images()
        var configuration = Self.configuration
        configuration.tile = TileSettings(size: Self.side)
        var stylization = try Stylization(configuration: configuration, network: try TestWeights.vgg19(),
                                          content: content, style: style)
        try stylization.run { _ in }
        let ratio = Self.seamRatio(stylization.image, content: content)
        #expect(ratio < 1.25, "neighbours differ \(ratio) times as much across tile borders")
    }

    /// The check above can fail: the naive tiling it guards against has seams it sees.
    @Test func independentTilesLeaveSeamsTheRatioSees() throws {
        let (content, style) = try Self.images()
        let network = try TestWeights.vgg19()
        let photo = content.scalars
        var scalars = photo
        let (height, width) = (content.shape.h, content.shape.w)
        for top in stride(from: 0, to: height, by: Self.side) {
            for left in stride(from: 0, to: width, by: Self.side) {
                let rows = top..<min(top + Self.side, height), columns = left..<min(left + Self.side, width)
                let tile = Tensor(shape: Shape(1, 3, rows.count, columns.count), scalars: (0..<3).flatMap { plane in
                    rows.flatMap { row in columns.map { photo[(plane * height + row) * width + $0] } }
                })
                var stylization = try Stylization(configuration: Self.configuration, network: network,
                                                  content: tile, style: style)
                try stylization.run { _ in }
                let result = stylization.image.scalars
                for plane in 0..<3 {
                    for (i, row) in rows.enumerated() {
                        for (j, column) in columns.enumerated() {
                            let source = (plane * rows.count + i) * columns.count + j
                            scalars[(plane * height + row) * width + column] = result[source]
                        }
                    }
                }
            }
        }
        let ratio = Self.seamRatio(Tensor(shape: content.shape, scalars: scalars), content: content)
        #expect(ratio > 1.25, "independent tiles gave a ratio of only \(ratio)")
    }
}
