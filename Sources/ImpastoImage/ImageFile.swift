import CVipsShim
import Foundation
import ImpastoCore

/// Reading and writing images through libvips. Images are `1 × 3 × H × W` RGB tensors with
/// values in [0, 1].
public enum ImageFile {
    /// The extensions `save` understands.
    public static let writableExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "tif", "tiff"]

    /// The most pixels an image may claim in its header to be decoded: 250 megapixels, above the
    /// largest phone and camera photos (200 MP), and far below what a few-kilobyte "decompression
    /// bomb" claims (65500 × 65500 is 4.3 gigapixels, gigabytes to decode). Checked from the header,
    /// before any decoding.
    public static let maximumPixels = 250_000_000

    /// Decodes the first frame of `url` to sRGB (orientation, colour profile, alpha, grey, CMYK
    /// and 16-bit handled) and shrinks it, never enlarging, so that its longer side is at most
    /// `maxDimension`. A JPEG shrinking 4× or more is decoded at a reduced size first (libvips'
    /// shrink-on-load), which saves most of the time and memory of decoding it whole.
    public static func load(_ url: URL, maxDimension: Int? = nil) throws -> Tensor {
        try decode(url, maxDimension: maxDimension, keepingAlpha: false).colour
    }

    /// The size of the image in `url` after EXIF orientation, from its header.
    public static func size(of url: URL) throws -> (width: Int, height: Int) {
        let header = try self.header(of: url)
        return (header.width, header.height)
    }

    /// The size after EXIF orientation and the number of frames (pages), from the header.
    static func header(of url: URL) throws -> (width: Int, height: Int, frames: Int) {
        try start()
        try checkIsFile(url)
        var width: Int32 = 0, height: Int32 = 0, frames: Int32 = 0
        let status = impasto_vips_probe(url.path, &width, &height, &frames)
        if status == IMPASTO_VIPS_NOT_AN_IMAGE { throw ImageError.notAnImage(path: url.path) }
        // A known format whose header cannot be read: a photo cut short or corrupt, not a stray file.
        guard status == 0 else { throw ImageError.damaged(path: url.path, detail: lastError()) }
        return (Int(width), Int(height), max(1, Int(frames)))
    }

    /// The first frame of `url` as `load` decodes it, its alpha (when `keepingAlpha` and the file
    /// has one) and the file's frame count. The pixel limit is checked from the header first.
    static func decode(_ url: URL, maxDimension: Int?, keepingAlpha: Bool) throws -> DecodedImage {
        let header = try self.header(of: url)
        guard header.width * header.height <= maximumPixels else {
            throw ImageError.tooLarge(path: url.path, width: header.width, height: header.height, limit: maximumPixels)
        }
        var target = (width: Int32(0), height: Int32(0))
        if let maxDimension {
            let fitted = fittedSize(width: header.width, height: header.height, maxDimension: maxDimension)
            target = (Int32(fitted.width), Int32(fitted.height))
        }
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0, bands: Int32 = 0
        let status = impasto_vips_load(url.path, target.width, target.height, keepingAlpha ? 1 : 0, &pixels, &width, &height,
                                       &bands)
        if status == IMPASTO_VIPS_NOT_AN_IMAGE { throw ImageError.notAnImage(path: url.path) }
        guard status == 0, let pixels else { throw ImageError.damaged(path: url.path, detail: lastError()) }
        defer { impasto_vips_free(pixels) }
        let buffer = UnsafeBufferPointer(start: pixels, count: Int(width) * Int(height) * Int(bands))
        let size = (width: Int(width), height: Int(height), bands: Int(bands))
        // An alpha opaque everywhere (GIF decoders and many PNG writers add one) is no
        // transparency to keep, nor one whose loss in a JPEG deserves a warning.
        let transparent = size.bands == 4 && (0..<size.width * size.height).contains { buffer[$0 * 4 + 3] != 255 }
        return DecodedImage(colour: tensor(fromInterleaved: buffer, size: size, channels: 0..<3),
                            alpha: transparent ? tensor(fromInterleaved: buffer, size: size, channels: 3..<4) : nil,
                            frameCount: header.frames)
    }

    /// The factor (1, 2, 4 or 8) by which `load` has libjpeg decode a `width × height` JPEG bound
    /// for `target`: at most half the whole shrink, the rest done by Lanczos-3.
    static func jpegShrinkOnLoad(width: Int, height: Int, target: (width: Int, height: Int)) -> Int {
        Int(impasto_vips_jpeg_shrink(Int32(width), Int32(height), Int32(target.width), Int32(target.height)))
    }

    /// The size with the same aspect ratio whose longer side is `maxDimension`, or the size itself
    /// when it already fits (images are shrunk, never enlarged). Sides round to the nearest pixel.
    public static func fittedSize(width: Int, height: Int, maxDimension: Int) -> (width: Int, height: Int) {
        let longer = max(width, height)
        guard longer > maxDimension else { return (width, height) }
        let scale = Double(maxDimension) / Double(longer)
        return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
    }

    /// Writes `image` to `url` atomically (a temporary file in the same folder, then a rename), in
    /// the format the extension names. Returns how many values lay outside [0, 1] and were clipped.
    @discardableResult
    public static func save(_ image: Tensor, to url: URL, quality: Int = 95) throws -> Int {
        try save(image, alpha: nil, to: url, quality: quality)
    }

    /// Writes interleaved 8-bit pixels of 3 (sRGB) or 4 (sRGB and alpha) bands to `url` through a
    /// temporary sibling renamed into place, so `url` holds the old file or the whole new one.
    static func write(_ bytes: [UInt8], width: Int, height: Int, bands: Int, to url: URL, quality: Int) throws {
        try checkNameLength(of: url)
        let temporary = temporarySibling(of: url)
        defer { try? FileManager.default.removeItem(at: temporary) }
        let status = bytes.withUnsafeBufferPointer {
            impasto_vips_save($0.baseAddress, Int32(width), Int32(height), Int32(bands), temporary.path, Int32(quality))
        }
        guard status == 0 else { throw ImageError.cannotWrite(path: url.path, reason: lastError()) }
        guard rename(temporary.path, url.path) == 0 else {
            throw ImageError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
    }

    /// The longest file name, in bytes, that common file systems accept (NAME_MAX on Linux and macOS).
    public static let maximumNameBytes = 255

    /// Throws `nameTooLong` unless `url`'s file name, and the temporary sibling `save` writes
    /// first, fit in `maximumNameBytes`: a batch checks this before decoding and stylising a
    /// photo whose result could never be written.
    public static func checkNameLength(of url: URL) throws(ImageError) {
        let longest = max(url.lastPathComponent.utf8.count, temporarySibling(of: url).lastPathComponent.utf8.count)
        guard longest <= maximumNameBytes else {
            throw ImageError.nameTooLong(path: url.path, bytes: longest, limit: maximumNameBytes)
        }
    }

    /// A hidden, unique name beside `url`. It does not repeat the destination's name, so it is
    /// never longer than the file system allows when the destination's name fits.
    private static func temporarySibling(of url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".impasto-\(UUID().uuidString).\(url.pathExtension.lowercased())")
    }

    /// The formats `encoded` writes in memory.
    public enum MemoryFormat: String, Sendable {
        case jpeg, png
    }

    /// `image` encoded in memory, for a front end that sends it rather than saving it (the
    /// studio's previews and downloads).
    public static func encoded(_ image: Tensor, as format: MemoryFormat, quality: Int = 90) throws -> Data {
        try start()
        let (bytes, _) = try quantized(image, for: "(image being encoded)")
        var encoded: UnsafeMutableRawPointer?
        var length = 0
        let status = bytes.withUnsafeBufferPointer {
            impasto_vips_encode_rgb($0.baseAddress, Int32(image.shape.w), Int32(image.shape.h), format.rawValue,
                                    Int32(quality), &encoded, &length)
        }
        guard status == 0, let encoded else { throw ImageError.damaged(path: "(in memory)", detail: lastError()) }
        defer { impasto_vips_free(encoded) }
        return Data(bytes: encoded, count: length)
    }

    /// `image` resized to exactly `width × height` with a Lanczos-3 kernel (through 8-bit).
    public static func resized(_ image: Tensor, width: Int, height: Int) throws -> Tensor {
        try resized(bytes: try quantized(image, for: "(image being resized)").bytes, from: image.shape, width: width,
                    height: height)
    }

    /// Interleaved 8-bit pixels of `shape.c` bands resized to `width × height`, as a tensor of that
    /// many channels.
    static func resized(bytes: [UInt8], from shape: Shape, width: Int, height: Int) throws -> Tensor {
        try start()
        var output: UnsafeMutablePointer<UInt8>?
        let status = bytes.withUnsafeBufferPointer {
            impasto_vips_resize($0.baseAddress, Int32(shape.w), Int32(shape.h), Int32(shape.c), Int32(width), Int32(height),
                                &output)
        }
        guard status == 0, let output else { throw ImageError.damaged(path: "(in memory)", detail: lastError()) }
        defer { impasto_vips_free(output) }
        let size = (width: width, height: height, bands: shape.c)
        return tensor(fromInterleaved: UnsafeBufferPointer(start: output, count: width * height * shape.c), size: size,
                      channels: 0..<shape.c)
    }

    /// Interleaved 8-bit RGB from a `1 × 3 × H × W` tensor: each value ×255, rounded, clipped to
    /// 0…255. Returns the bytes and how many values were clipped. NaN or infinite values are
    /// refused (`notFinite`, naming `path`, the file being written) rather than written as black.
    public static func quantized(_ image: Tensor, for path: String) throws(ImageError) -> (bytes: [UInt8], clipped: Int) {
        precondition(image.shape.n == 1 && image.shape.c == 3, "an image is 1×3×H×W, not \(image.shape)")
        let plane = image.shape.h * image.shape.w
        let values = image.scalars
        let nonFinite = values.count { !$0.isFinite }
        guard nonFinite == 0 else { throw ImageError.notFinite(path: path, count: nonFinite) }
        var bytes = [UInt8](repeating: 0, count: plane * 3)
        var clipped = 0
        for pixel in 0..<plane {
            for channel in 0..<3 {
                let value = values[channel * plane + pixel]
                if value < 0 || value > 1 { clipped += 1 }
                bytes[pixel * 3 + channel] = UInt8(min(max(value * 255, 0), 255).rounded())
            }
        }
        return (bytes, clipped)
    }

    /// Interleaved 8-bit RGB as a `1 × 3 × H × W` tensor in [0, 1].
    static func tensor(fromInterleaved pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> Tensor {
        tensor(fromInterleaved: pixels, size: (width, height, 3), channels: 0..<3)
    }

    /// The `channels` of interleaved 8-bit pixels as a `1 × channels.count × H × W` tensor in [0, 1].
    static func tensor(fromInterleaved pixels: UnsafeBufferPointer<UInt8>, size: (width: Int, height: Int, bands: Int),
                       channels: Range<Int>) -> Tensor {
        let plane = size.width * size.height
        var values = [Float](repeating: 0, count: plane * channels.count)
        for pixel in 0..<plane {
            for (index, channel) in channels.enumerated() {
                values[index * plane + pixel] = Float(pixels[pixel * size.bands + channel]) / 255
            }
        }
        return Tensor(shape: Shape(1, channels.count, size.height, size.width), scalars: values)
    }

    /// Throws `missing` or `folder` unless `url` names a file.
    private static func checkIsFile(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { throw ImageError.missing(path: url.path) }
        guard !isFolder.boolValue else { throw ImageError.folder(path: url.path) }
    }

    static func start() throws {
        guard impasto_vips_start() == 0 else { throw ImageError.libraryUnavailable(detail: lastError()) }
    }

    static func lastError() -> String { String(cString: impasto_vips_last_error()) }
}
