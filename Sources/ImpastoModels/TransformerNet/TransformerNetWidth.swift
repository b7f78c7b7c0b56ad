/// The named widths of a TransformerNet: the channels of its first layer, which the next two
/// double. Narrower networks lose some detail but run several times faster, enough for live
/// video; a model file records its width as `baseChannels`, so loading needs no flag.
public enum TransformerNetWidth: String, CaseIterable, Sendable, Codable {
    /// 32/64/128 channels, the paper's.
    case full
    /// 16/32/64 channels.
    case half
    /// 8/16/32 channels.
    case quarter

    public var baseChannels: Int {
        switch self {
        case .full: 32
        case .half: 16
        case .quarter: 8
        }
    }

    /// The named width with `baseChannels` first-layer channels, if there is one.
    public init?(baseChannels: Int) {
        guard let width = Self.allCases.first(where: { $0.baseChannels == baseChannels }) else { return nil }
        self = width
    }
}

extension StyleModel.Metadata {
    /// The model's named width, or nil for another width (an imported or `--base-channels` model).
    public var width: TransformerNetWidth? { TransformerNetWidth(baseChannels: baseChannels) }
}
