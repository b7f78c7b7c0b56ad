import COpenCVFlow
import ImpastoCore

/// Dense optical flow between video frames with OpenCV's DIS (Kroeger et al. 2016), which is
/// fast enough to run on every frame on a CPU. One estimator keeps its buffers between calls,
/// so make one per video; it is not safe to share between threads.
public final class OpticalFlow {
    /// DIS's presets trade accuracy for speed; see docs/flicker.md for what each costs here.
    public enum Preset: Sendable, CaseIterable {
        case ultrafast, fast, medium

        var shimValue: impasto_flow_preset {
            switch self {
            case .ultrafast: IMPASTO_FLOW_ULTRAFAST
            case .fast: IMPASTO_FLOW_FAST
            case .medium: IMPASTO_FLOW_MEDIUM
            }
        }
    }

    /// FAST: at 640×480 it costs a third of MEDIUM (7–12 ms against 29–35 ms per flow here, and
    /// a frame needs two) and was no less accurate on sub-pixel shifts (docs/flicker.md);
    /// ULTRAFAST's shift error was half as large again.
    public static let defaultPreset = Preset.fast

    private let estimator: OpaquePointer

    public init(preset: Preset = defaultPreset) throws {
        guard let estimator = impasto_flow_create(preset.shimValue) else {
            throw FlowError.estimatorFailed(detail: String(cString: impasto_flow_last_error()))
        }
        self.estimator = estimator
    }

    deinit { impasto_flow_destroy(estimator) }

    /// The flow from `source` to `target`, two `1 × 3 × H × W` RGB images in [0, 1] of the same
    /// size: for each pixel p of `source`, where its content lies in `target`. DIS works on
    /// the images' 8-bit luma.
    public func flow(from source: Tensor, to target: Tensor) throws -> FlowField {
        precondition(source.shape.n == 1 && source.shape.c == 3, "an image is 1×3×H×W, not \(source.shape)")
        guard target.shape == source.shape else {
            throw FlowError.sizeMismatch(what: "the target frame", expected: "\(source.shape)", actual: "\(target.shape)")
        }
        let (width, height) = (source.shape.w, source.shape.h)
        var vectors = [Float](repeating: 0, count: 2 * width * height)
        let status = source.withPlanes { from in
            target.withPlanes { to in
                vectors.withUnsafeMutableBufferPointer { flow in
                    impasto_flow_compute(estimator, from.baseAddress, to.baseAddress, Int32(width), Int32(height),
                                         flow.baseAddress)
                }
            }
        }
        guard status == 0 else { throw FlowError.estimatorFailed(detail: String(cString: impasto_flow_last_error())) }
        return FlowField(width: width, height: height, vectors: vectors)
    }
}
