import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// The tiled objective against the untiled one on the tiny photos (real weights): with the halo
/// at the layers' reach, each tile's interior features are the whole image's, so the value and
/// the gradient agree to float rounding; a halo short of it must show.
@Suite("Tiled objective (Tiny images)")
struct TiledObjectiveTests {
    struct Layers: Sendable, CustomStringConvertible {
        var content: [VGG19.Layer]
        var style: [VGG19.Layer]
        var description: String { "content \(content.map(\.alias)), style \(style.map(\.alias))" }
    }

    /// Shallow layers, whose 8-pixel halo leaves tiles that really are parts of the image, and
    /// the tutorial's, whose deep layers have a few feature positions each.
    static let layerSets = [
        Layers(content: [.block2_conv2], style: [.block1_conv1, .block2_conv1]),
        Layers(content: [.block5_conv2], style: [.block1_conv1, .block2_conv1, .block3_conv1, .block4_conv1, .block5_conv1]),
    ]

    /// The tiny photo cropped to `width × height` (odd sizes make the pools floor), and a
    /// starting point away from it so that the content term has a gradient too.
    static func problem(layers: Layers, tiling: TileSettings?, width: Int = 61, height: Int = 45) throws
        -> (objective: StyleObjective, image: Tensor) {
        let content = crop(try ImageFile.load(try Fixtures.tinyContent), width: width, height: height)
        let style = try ImageFile.load(try Fixtures.tinyStyle)
        let noise = randomTensor(content.shape, in: -0.1...0.1, seed: 7)
        let image = Tensor(shape: content.shape, scalars: zip(content.scalars, noise.scalars).map { min(max($0 + $1, 0), 1) })
        let objective = StyleObjective(network: try TestWeights.vgg19(), content: content, style: style,
                                       contentLayers: layers.content,
                                       styleLayers: Dictionary(uniqueKeysWithValues: layers.style.map { ($0, 1) }),
                                       weights: LossWeights(), tiling: tiling)
        return (objective, image)
    }

    static func crop(_ image: Tensor, width: Int, height: Int) -> Tensor {
        let planes = image.scalars
        let scalars = (0..<3).flatMap { channel in
            (0..<height).flatMap { row in
                (0..<width).map { column in planes[(channel * image.shape.h + row) * image.shape.w + column] }
            }
        }
        return Tensor(shape: Shape(1, 3, height, width), scalars: scalars)
    }

    /// max |a − b| / max |b|: the gradients' worst disagreement relative to their size.
    static func relativeDifference(_ a: Tensor, _ b: Tensor) -> Double {
        let largest = b.scalars.map { Double(abs($0)) }.max()!
        return zip(a.scalars, b.scalars).map { Double(abs($0 - $1)) }.max()! / largest
    }

    @Test(arguments: layerSets)
    func theExactHaloGivesTheUntiledValueAndGradient(layers: Layers) throws {
        let tiling = TileSettings(size: 16)
        let (tiled, image) = try Self.problem(layers: layers, tiling: tiling)
        let (untiled, _) = try Self.problem(layers: layers, tiling: nil)
        let deepest = (layers.content + layers.style).max()!
        let grid = TileGrid(height: 45, width: 61, settings: tiling, deepest: deepest)
        #expect(grid.tiles.count > 1)

        // The targets were made tile by tile too.
        for (layer, target) in untiled.contentTargets {
            #expect(Self.relativeDifference(tiled.contentTargets[layer]!, target) < 1e-5, "content target \(layer)")
        }
        for (layer, target) in untiled.styleTargets {
            #expect(Self.relativeDifference(tiled.styleTargets[layer]!, target) < 1e-4, "style target \(layer)")
        }

        let expected = untiled.valueAndGradient(at: image, styleScale: 0.4)
        let actual = tiled.valueAndGradient(at: image, styleScale: 0.4)
        #expect(isClose(actual.report.total, expected.report.total, relative: 1e-4), "\(actual.report) vs \(expected.report)")
        for (key, value) in expected.report.perLayer {
            #expect(isClose(actual.report.perLayer[key] ?? .nan, value, relative: 1e-4), "\(key)")
        }
        let difference = Self.relativeDifference(actual.gradient, expected.gradient)
        #expect(difference < 1e-5, "gradients differ by \(difference) of their largest element")
    }

    /// A tile whose halo is short of the reach sees zero padding where its neighbours' pixels
    /// are: its gradient moves measurably, so the test above would catch a misplaced tile.
    @Test func aHaloShortOfTheReachChangesTheGradient() throws {
        let layers = Self.layerSets[0]
        let (short, image) = try Self.problem(layers: layers, tiling: TileSettings(size: 16, halo: 2))
        let (untiled, _) = try Self.problem(layers: layers, tiling: nil)
        let difference = Self.relativeDifference(short.valueAndGradient(at: image).gradient,
                                                 untiled.valueAndGradient(at: image).gradient)
        #expect(difference > 1e-2, "a 2-pixel halo for an 8-pixel reach changed the gradient by only \(difference)")
    }

    @Test func theGridPartitionsTheImageOnThePoolingStride() {
        let grid = TileGrid(height: 45, width: 61, settings: TileSettings(size: 20, halo: 5), deepest: .block3_conv1)
        // As few interiors as tiles of 20 allow, near-equal in whole strides of block 3 (4 pixels).
        #expect(grid.tiles.map(\.interior.rows).uniqued() == [0..<16, 16..<32, 32..<45])
        #expect(grid.tiles.map(\.interior.columns).uniqued() == [0..<16, 16..<32, 32..<48, 48..<61])
        // Windows of one size: 16 + 2 × 8 (the halo rounded up to the stride) + 1 (45 and 61 mod 4),
        // moved inward at the edges, each starting on a stride.
        #expect(grid.tiles.map(\.window.rows).uniqued() == [0..<33, 8..<41, 12..<45])
        #expect(grid.tiles.map(\.window.columns).uniqued() == [0..<33, 8..<41, 24..<57, 28..<61])
        // A last column narrower than the stride joins the one before.
        let narrow = TileGrid(height: 16, width: 33, settings: TileSettings(size: 16, halo: 0), deepest: .block5_conv1)
        #expect(narrow.tiles.map(\.interior.columns) == [0..<16, 16..<33])
    }

    @Test func theExactHaloIsTheLayersReach() {
        #expect(TileSettings.exactHalo(for: .block1_conv1) == 1)
        #expect(TileSettings.exactHalo(for: .block2_conv2) == 7)
        #expect(TileSettings.exactHalo(for: .block5_conv2) == 101)
        #expect(TileSettings().effectiveHalo(for: .block5_conv2) == 112)
    }
}

private extension Array where Element: Equatable {
    /// The elements in order, each once.
    func uniqued() -> [Element] { reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }
}

/// The tiling a memory planner gets for a budget: the largest that fits, none below the least.
@Suite("Tile size for a memory budget")
struct TiledMemoryBudgetTests {
    @Test(arguments: [1 << 30, 4 << 30, 16 << 30])
    func theTileFitsAndTheNextSizeDoesNot(budget: Int) throws {
        let tiling = try #require(TileSettings.fitting(memoryBudget: budget))
        let halo = tiling.effectiveHalo(for: .block5_conv2)
        #expect(tiling.size % 16 == 0)
        #expect(TileSettings.peakBytes(windowSide: tiling.size + 2 * halo, to: .block5_conv2) <= budget)
        #expect(TileSettings.peakBytes(windowSide: tiling.size + 16 + 2 * halo, to: .block5_conv2) > budget)
    }

    @Test func aBudgetBelowTheLeastTileGetsNone() {
        #expect(TileSettings.fitting(memoryBudget: 64 << 20) == nil)
        #expect(TileSettings.fitting(memoryBudget: 64 << 20, to: .block1_conv2) == nil)
    }
}
