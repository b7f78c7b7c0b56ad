import Foundation
import ImpastoCore

/// A photo decoded with what `ImageFile.load` leaves out: its transparency and its frame count.
public struct DecodedImage: Sendable {
    /// `1 × 3 × H × W` sRGB in [0, 1], transparent parts flattened onto white: what `load` gives,
    /// so a network sees the same photo whether or not its alpha is kept.
    public var colour: Tensor
    /// `1 × 1 × H × W` opacity in [0, 1] (1 is opaque), or nil when the file has no alpha channel.
    public var alpha: Tensor?
    /// How many frames (pages) the file holds: an animated GIF or WebP has several, and only the
    /// first is decoded.
    public var frameCount: Int

    public init(colour: Tensor, alpha: Tensor? = nil, frameCount: Int = 1) {
        self.colour = colour
        self.alpha = alpha
        self.frameCount = frameCount
    }
}

extension ImageFile {
    /// The writable extensions whose formats keep an alpha channel (JPEG has none).
    public static let alphaExtensions: Set<String> = ["png", "webp", "tif", "tiff"]

    /// Whether the format `url`'s extension names keeps an alpha channel.
    public static func canHoldAlpha(_ url: URL) -> Bool {
        alphaExtensions.contains(url.pathExtension.lowercased())
    }

    /// Decodes the first frame of `url` as `load` does, keeping its alpha channel (shrunk with the
    /// colour) and reporting its frame count.
    public static func loadWithAlpha(_ url: URL, maxDimension: Int? = nil) throws -> DecodedImage {
        try decode(url, maxDimension: maxDimension, keepingAlpha: true)
    }

    /// Writes `image` with `alpha` as its transparency (`1 × 1 × H × W`, resized to the image when
    /// a network changed the size) where the format keeps one; JPEG gets the colour alone, so a
    /// caller that must say so checks `canHoldAlpha` first. Atomic, like `save(_:to:quality:)`;
    /// returns how many colour values were clipped.
    @discardableResult
    public static func save(_ image: Tensor, alpha: Tensor?, to url: URL, quality: Int = 95) throws -> Int {
        try start()
        let ext = url.pathExtension.lowercased()
        guard writableExtensions.contains(ext) else { throw ImageError.unsupportedFormat(path: url.path) }
        let (colour, clipped) = try quantized(image, for: url.path)
        guard let alpha, canHoldAlpha(url) else {
            try write(colour, width: image.shape.w, height: image.shape.h, bands: 3, to: url, quality: quality)
            return clipped
        }
        let opacity = try alphaBytes(alpha, fittedTo: image.shape)
        var bytes = [UInt8](repeating: 0, count: opacity.count * 4)
        for pixel in 0..<opacity.count {
            bytes[pixel * 4] = colour[pixel * 3]
            bytes[pixel * 4 + 1] = colour[pixel * 3 + 1]
            bytes[pixel * 4 + 2] = colour[pixel * 3 + 2]
            bytes[pixel * 4 + 3] = opacity[pixel]
        }
        try write(bytes, width: image.shape.w, height: image.shape.h, bands: 4, to: url, quality: quality)
        return clipped
    }

    /// `alpha` as 8-bit opacity at the image's size (Lanczos-3 when it differs).
    private static func alphaBytes(_ alpha: Tensor, fittedTo shape: Shape) throws -> [UInt8] {
        precondition(alpha.shape.n == 1 && alpha.shape.c == 1, "an alpha channel is 1×1×H×W, not \(alpha.shape)")
        let bytes = alpha.scalars.map { UInt8(min(max($0.isFinite ? $0 * 255 : 255, 0), 255).rounded()) }
        guard alpha.shape.h != shape.h || alpha.shape.w != shape.w else { return bytes }
        let resized = try resized(bytes: bytes, from: alpha.shape, width: shape.w, height: shape.h)
        return resized.scalars.map { UInt8(($0 * 255).rounded()) }
    }
}
