import Foundation
import ImpastoImage
import ImpastoModels

extension ArbitraryStylizer {
    /// The predictor and transformer from the store's verified files, fetched first if missing
    /// or corrupt (`announce` hears one line before any download).
    public static func fetched(from store: ArtefactStore = ArtefactStore(),
                               announce: (String) -> Void) throws -> ArbitraryStylizer {
        let paths = try store.ensure([.magentaPredictor, .magentaTransformer], announce: announce)
        return ArbitraryStylizer(predictor: try StylePredictor.load(contentsOf: paths[0]),
                                 transformer: try ArbitraryTransformer.load(contentsOf: paths[1]))
    }

    /// The style vector of the painting in `url` (decoded at most 256 pixels on its longer side,
    /// so a large painting costs little, then squashed to the predictor's square), or the
    /// weighted blend of several paintings' vectors.
    public func styleVector(ofPaintings paintings: [(url: URL, weight: Float)]) throws -> [Float] {
        let side = StylePredictor.inputSide
        let vectors = try paintings.map { painting in
            (vector: try styleVector(of: try ImageFile.load(painting.url, maxDimension: side)), weight: painting.weight)
        }
        return vectors.count == 1 ? vectors[0].vector : Self.blended(vectors)
    }
}
