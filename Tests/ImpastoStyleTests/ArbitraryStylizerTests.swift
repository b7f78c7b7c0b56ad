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
    static let stylizer: Result<ArbitraryStylizer, any Error> = Result {
        let paths = try ArtefactStore().ensure([.magentaPredictor, .magentaTransformer]) { print($0) }
        return ArbitraryStylizer(predictor: try StylePredictor.load(contentsOf: paths[0]),
                                 transformer: try ArbitraryTransformer.load(contentsOf: paths[1]))
    }

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
}
