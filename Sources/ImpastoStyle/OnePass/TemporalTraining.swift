import Foundation
import ImpastoCore
import ImpastoModels

/// A small similarity transform of the image plane, the known motion that makes a training
/// pair: output pixel p reads the photo at c + s·R(θ)(p − c) + t, c being the image centre.
///
/// Pairs made from still photos need no optical flow (Huang et al. 2017; Xu et al. 2021): the
/// flow is known exactly, so the loss measures the network's instability and nothing else.
public struct SimilarityWarp: Sendable, Equatable {
    /// t, in pixels.
    public var shiftX: Float
    public var shiftY: Float
    /// s: above 1 zooms out, below 1 zooms in.
    public var scale: Float
    /// θ, in radians.
    public var rotation: Float

    public init(shiftX: Float = 0, shiftY: Float = 0, scale: Float = 1, rotation: Float = 0) {
        (self.shiftX, self.shiftY, self.scale, self.rotation) = (shiftX, shiftY, scale, rotation)
    }

    public static let identity = SimilarityWarp()

    /// The largest random shift (pixels), relative scale change and rotation (radians). A camera
    /// pans a few pixels, zooms a few per cent and turns a fraction of a degree between frames
    /// (the test clips: 6 px, 0.6 %, 0.23°); shifts past the networks' stride of 4, sub-pixel
    /// included, reach every phase of its downsampling, where the instability comes from.
    public static let maximumShift: Float = 6
    public static let maximumScaleChange: Float = 0.03
    public static let maximumRotation: Float = 1.5 * .pi / 180

    /// `count` warps drawn uniformly within the maxima, fixed by the seed and the iteration (so
    /// a resumed run draws the same ones without storing them).
    public static func random(count: Int, seed: UInt64, iteration: Int) -> [SimilarityWarp] {
        var generator = SeededGenerator(seed: (seed ^ 0x5445_4D50_4F52_414C) &+ UInt64(iteration) &* 0x9E37_79B9_7F4A_7C15)
        return (0..<count).map { _ in
            SimilarityWarp(shiftX: .random(in: -maximumShift...maximumShift, using: &generator),
                           shiftY: .random(in: -maximumShift...maximumShift, using: &generator),
                           scale: 1 + .random(in: -maximumScaleChange...maximumScaleChange, using: &generator),
                           rotation: .random(in: -maximumRotation...maximumRotation, using: &generator))
        }
    }

    /// Where each pixel of a `height × width` image warped by each of `warps` (one per image)
    /// reads the original.
    public static func grid(_ warps: [SimilarityWarp], height: Int, width: Int) -> SamplingGrid {
        let (centreX, centreY) = (Float(width - 1) / 2, Float(height - 1) / 2)
        var positions: [Float] = []
        positions.reserveCapacity(2 * warps.count * height * width)
        for warp in warps {
            let (cosine, sine) = (warp.scale * cos(warp.rotation), warp.scale * sin(warp.rotation))
            for y in 0..<height {
                for x in 0..<width {
                    let (dx, dy) = (Float(x) - centreX, Float(y) - centreY)
                    positions.append(centreX + cosine * dx - sine * dy + warp.shiftX)
                    positions.append(centreY + sine * dx + cosine * dy + warp.shiftY)
                }
            }
        }
        return SamplingGrid(images: warps.count, height: height, width: width, positions: positions)
    }
}

extension FastStyleTrainer {
    /// The temporal loss of Huang et al. 2017 on pairs with known motion:
    /// W · mean over valid pixels of (f(T(x)) − T(f(x)))², T being each photo's warp and
    /// `stylised` f(x). Pixels T brings in from outside the photo are left out (they have no
    /// counterpart in f(x)). Gradients flow through both terms, so the network learns to move
    /// its strokes with the picture instead of redrawing them.
    public func temporalLoss(of network: TransformerNet, photos: Tensor, stylised: Tensor,
                             warps: [SimilarityWarp]) -> Tensor {
        let grid = SimilarityWarp.grid(warps, height: photos.shape.h, width: photos.shape.w)
        let mask = grid.insideMask(inputHeight: photos.shape.h, inputWidth: photos.shape.w)
        let stylisedWarped = network(bilinearlyResampled(photos.detached(), at: grid))
        let warpedStylised = bilinearlyResampled(stylised, at: grid)
        return maskedMeanSquaredError(stylisedWarped, warpedStylised, mask: mask).scaled(by: configuration.temporalWeight)
    }
}
