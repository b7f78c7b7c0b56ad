import Foundation

/// What a stylised result leaves out of its photo. Not an error: the result is written, and the
/// front end says so in one line.
public enum ImageWarning: Equatable, Sendable, CustomStringConvertible {
    /// An animated GIF or WebP (or a multi-page TIFF): only its first frame is read.
    case firstFrameOnly(frames: Int)
    /// The photo is transparent but the output format (JPEG) has no alpha channel.
    case transparencyDropped(format: String)

    /// The warnings for `photo` written to `destination` (nil: not written), in that order.
    public static func warnings(for photo: DecodedImage, destination: URL?) -> [ImageWarning] {
        var warnings: [ImageWarning] = []
        if photo.frameCount > 1 { warnings.append(.firstFrameOnly(frames: photo.frameCount)) }
        if photo.alpha != nil, let destination, !ImageFile.canHoldAlpha(destination) {
            warnings.append(.transparencyDropped(format: destination.pathExtension.uppercased()))
        }
        return warnings
    }

    public var description: String {
        switch self {
        case .firstFrameOnly(let frames): "animated (\(frames) frames): only the first frame is used"
        case .transparencyDropped(let format):
            "transparency dropped: \(format) cannot hold it (write .png, .webp or .tif to keep it)"
        }
    }
}
