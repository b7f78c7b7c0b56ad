import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// Any painting in one pass, on the tiny photo and painting: the real Magenta networks, fetched
/// on first use.
@Suite("Arbitrary style in one pass (Tiny images)")
struct ArbitraryStylizerTests {
    static let stylizer: Result<ArbitraryStylizer, any Error> = Result { try ArbitraryStylizer.fetched { print($0) } }

    @Test func aPaintingStylisesAPhotoOfAnySizeAtItsOwnSize() throws {
        let stylizer = try Self.stylizer.get()
        let photo = try ImageFile.load(try Fixtures.tinyContent)
        let painting = try ImageFile.load(try Fixtures.tinyStyle)
        let vector = try stylizer.styleVector(of: painting)
        let styled = try stylizer.stylized(photo, styleVector: vector)
        #expect(styled.shape == photo.shape)
        #expect(styled.scalars.allSatisfy { (0...1).contains($0) })
        let change = zip(styled.scalars, photo.scalars).map { abs($0 - $1) }.reduce(0, +) / Float(photo.shape.count)
        #expect(change > 0.05, "the photo barely changed (mean \(change))")
    }

    /// Strength 0 is the photo's own style vector: the network's rendering of the photo by itself,
    /// closer to the photo than the painting's style is.
    @Test func strengthMovesFromThePhotosOwnStyleToThePaintings() throws {
        let stylizer = try Self.stylizer.get()
        let photo = try ImageFile.load(try Fixtures.tinyContent)
        let vector = try stylizer.styleVector(of: try ImageFile.load(try Fixtures.tinyStyle))
        func distance(_ strength: Float) throws -> Float {
            let styled = try stylizer.stylized(photo, styleVector: vector, strength: strength)
            return zip(styled.scalars, photo.scalars).map { abs($0 - $1) }.reduce(0, +)
        }
        let (none, half, full) = (try distance(0), try distance(0.5), try distance(1))
        #expect(none < half && half < full, "distances from the photo: \(none), \(half), \(full)")
    }

    @Test func aBlendIsTheWeightedMeanOfTheVectors() {
        let a = [Float](repeating: 1, count: StylePredictor.vectorLength)
        let b = [Float](repeating: 4, count: StylePredictor.vectorLength)
        #expect(ArbitraryStylizer.blended([(a, 2), (b, 1)]) == [Float](repeating: 2, count: StylePredictor.vectorLength))
    }

    /// Through `FastStylizer`, as `apply --style-image` runs it: strength goes into the style
    /// vector, not a pixel blend, and photos smaller than the network's minimum are mirrored out.
    @Test func theOnePassPipelineBlendsVectorsAndTakesTinyPhotos() throws {
        let stylizer = try Self.stylizer.get()
        let photo = try ImageFile.load(try Fixtures.tinyContent)
        let vector = try stylizer.styleVector(of: try ImageFile.load(try Fixtures.tinyStyle))
        let half = try FastStylizer(network: .arbitrary(stylizer, styleVector: vector), strength: 0.5).stylize(photo)
        #expect(half.scalars == (try stylizer.stylized(photo, styleVector: vector, strength: 0.5)).scalars)
        let tiny = Tensor(shape: Shape(1, 3, 2, 3), scalars: (0..<18).map { Float($0) / 17 })
        let styled = try FastStylizer(network: .arbitrary(stylizer, styleVector: vector)).stylize(tiny)
        #expect(styled.shape == tiny.shape)
    }

    @Test func paintingFilesBlendByTheirVectors() throws {
        let stylizer = try Self.stylizer.get()
        let (content, style) = (try Fixtures.tinyContent, try Fixtures.tinyStyle)
        let a = try stylizer.styleVector(ofPaintings: [(content, 1)])
        let b = try stylizer.styleVector(ofPaintings: [(style, 1)])
        let blend = try stylizer.styleVector(ofPaintings: [(content, 3), (style, 1)])
        for index in [0, 42, 99] {
            #expect(abs(blend[index] - (3 * a[index] + b[index]) / 4) < 1e-5)
        }
    }
}
