import ImpastoCore

/// Two consecutive frames brought into register: the flow from the current frame back to the
/// previous one, and the mask of pixels where that flow can be trusted.
public struct FrameAlignment: Sendable {
    /// From frame t to frame t−1; warping an image of frame t−1 by it lines it up with frame t.
    public let backward: FlowField
    public let mask: ConsistencyMask
    /// The wall time of the two DIS runs alone (without the mask), for reports.
    public let flowTime: Duration

    /// Computes both flows between two `1 × 3 × H × W` input frames (two DIS runs).
    public init(previous: Tensor, current: Tensor, using estimator: OpticalFlow) throws {
        let start = ContinuousClock.now
        backward = try estimator.flow(from: current, to: previous)
        let forward = try estimator.flow(from: previous, to: current)
        flowTime = ContinuousClock.now - start
        mask = ConsistencyMask(backward: backward, forward: forward)
    }

    /// `image`, a picture of the previous frame (input or output), moved onto the current frame.
    public func warpedPrevious(_ image: Tensor) -> Tensor { image.warped(by: backward) }

    /// The warping error of Lai et al. 2018 between `current` and the aligned `previous`: the
    /// mean squared difference per value over the reliable pixels, i.e. Σ M (a − b)² / Σ M
    /// with the mask repeated over the three channels. When no pixel is reliable it falls back
    /// to all pixels, as Lai et al.'s evaluation script does.
    public func warpingError(current: Tensor, previous: Tensor) -> Double {
        precondition(current.shape == previous.shape, "images of different sizes: \(current.shape) and \(previous.shape)")
        let warped = warpedPrevious(previous).scalars
        let values = current.scalars
        let plane = mask.width * mask.height
        let useAll = mask.weights.allSatisfy { $0 == 0 }
        var sum = 0.0, count = 0.0
        for index in values.indices {
            let weight = useAll ? 1 : Double(mask.weights[index % plane])
            let difference = Double(values[index] - warped[index])
            sum += weight * difference * difference
            count += weight
        }
        return sum / count
    }
}
