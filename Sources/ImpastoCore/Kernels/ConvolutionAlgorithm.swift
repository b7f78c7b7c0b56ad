import Synchronization

/// How convolutions are computed, process-wide.
///
/// `.automatic` uses oneDNN's Winograd algorithm where it is faster (3×3 kernels, stride 1,
/// 16 channels or more) and the direct algorithm elsewhere. Winograd rounds a little worse
/// than the direct method (worst error about 7e-6 of the output's RMS against 1e-6; the golden
/// VGG19 and loss parity holds with either); `.direct` gives the direct method everywhere.
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable, Codable {
    case automatic
    case direct

    private static let setting = Mutex(ConvolutionAlgorithm.automatic)

    /// The algorithm new convolutions use; primitives are cached per algorithm, so changing it
    /// between steps is safe.
    public static var current: ConvolutionAlgorithm {
        get { setting.withLock { $0 } }
        set { setting.withLock { $0 = newValue } }
    }
}
