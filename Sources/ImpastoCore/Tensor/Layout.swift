import CDNNL

/// How a tensor's elements are laid out in memory.
///
/// `nchw` is the plain layout every user sees. oneDNN's convolutions run fastest on the
/// channel-blocked layouts (`nChw8c` on AVX2, `nChw16c` on AVX-512), so activations stay in
/// whatever layout the convolution chose and are reordered only where an op needs another.
public enum Layout: Hashable, Sendable, CaseIterable {
    case nchw
    case nhwc
    case nChw8c
    case nChw16c

    /// Channels are padded with zeros to a multiple of this.
    public var channelBlock: Int {
        switch self {
        case .nchw, .nhwc: 1
        case .nChw8c: 8
        case .nChw16c: 16
        }
    }

    /// A small number naming the layout in primitive-cache keys.
    var code: Int { Layout.allCases.firstIndex(of: self)! }

    var formatTag: dnnl_format_tag_t {
        switch self {
        case .nchw: dnnl_nchw
        case .nhwc: dnnl_nhwc
        case .nChw8c: dnnl_nChw8c
        case .nChw16c: dnnl_nChw16c
        }
    }

    /// The number of floats a tensor of `shape` occupies, channel padding included.
    public func storageCount(for shape: Shape) -> Int {
        let block = channelBlock
        let paddedChannels = (shape.c + block - 1) / block * block
        return shape.n * paddedChannels * shape.h * shape.w
    }
}
