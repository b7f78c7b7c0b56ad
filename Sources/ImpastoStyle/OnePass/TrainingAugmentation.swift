import Foundation
import ImpastoCore

/// Random crops for training: each time a photo is used it is zoomed by a factor drawn uniformly
/// from 1…`maximumZoom` (the crop then covers 1/zoom of its shorter side), cut at a random place
/// and mirrored left to right half the time. A few dozen photos then give thousands of distinct
/// crops, and the painting's strokes are learnt at several scales of the photo's detail; the
/// centre crop of every photo alone would repeat each epoch.
public struct TrainingAugmentation: Sendable, Codable, Equatable {
    public var maximumZoom: Double

    public init(maximumZoom: Double) {
        self.maximumZoom = maximumZoom
    }

    /// Zooms beyond 4 leave crops of a sixteenth of the photo: mostly blur and noise.
    public static let zooms: ClosedRange<Double> = 1...4

    public func validate() throws {
        guard maximumZoom.isFinite, Self.zooms.contains(maximumZoom) else {
            throw ConfigurationError(setting: "augment", problem: "must be between 1 and 4, not \(maximumZoom)")
        }
    }

    /// The photo's random `size × size` crop, drawn from `generator`.
    func crop(_ url: URL, size: Int, using generator: inout SeededGenerator) throws -> Tensor {
        let zoom = maximumZoom > 1 ? Double.random(in: 1...maximumZoom, using: &generator) : 1
        let image = try TrainingImages.shorterSide(url, resizedTo: Int((Double(size) * zoom).rounded()))
        let top = Int.random(in: 0...(image.shape.h - size), using: &generator)
        let left = Int.random(in: 0...(image.shape.w - size), using: &generator)
        let mirrored = Bool.random(using: &generator)
        return TrainingImages.crop(image, size: size, top: top, left: left, mirrored: mirrored)
    }
}
