/// A tensor's floats seen as planes of pixels, each pixel `lanes` consecutive floats.
///
/// NCHW is one plane per image and channel with one float per pixel; `nChw8c` and `nChw16c`
/// are one plane per image and block of 8 or 16 channels, a pixel holding the block's values.
/// Ops that move whole pixels (padding, upsampling) or work per channel (instance norm) can so
/// run in the blocked layout the convolutions around them use, without reorders.
struct PixelPlanes {
    let images: Int
    let channels: Int
    /// Planes per image: the channels, or their blocks.
    let planesPerImage: Int
    let height: Int
    let width: Int
    /// Floats per pixel: the layout's channel block.
    let lanes: Int

    init(_ shape: Shape, _ layout: Layout) {
        precondition(layout.isPlanar, "PixelPlanes needs NCHW or a channel-blocked layout, not \(layout)")
        lanes = layout.channelBlock
        images = shape.n
        channels = shape.c
        planesPerImage = (shape.c + lanes - 1) / lanes
        height = shape.h
        width = shape.w
    }

    var planes: Int { images * planesPerImage }
    var floatsPerRow: Int { width * lanes }
    var floatsPerPlane: Int { height * floatsPerRow }

    /// The offset of row `y` of `plane`.
    func rowStart(_ plane: Int, _ y: Int) -> Int { (plane * height + y) * floatsPerRow }

    /// The logical channel of lane `lane` of `plane`; nil for a block's zero padding.
    func channel(plane: Int, lane: Int) -> Int? {
        let channel = (plane % planesPerImage) * lanes + lane
        return channel < channels ? channel : nil
    }
}

extension Layout {
    /// Whether `PixelPlanes` can view this layout: NCHW and the channel-blocked ones.
    var isPlanar: Bool { self != .nhwc }
}

extension Tensor {
    /// This tensor in a layout `PixelPlanes` can view: itself unless it is NHWC.
    func inPlanarLayout() -> Tensor {
        layout.isPlanar ? self : laidOut(as: .nchw)
    }
}
