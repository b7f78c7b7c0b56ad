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

    /// Decodes `url` to sRGB (orientation, colour profile, alpha, grey, CMYK and 16-bit handled) and
    /// shrinks it, never enlarging, so that its longer side is at most `maxDimension`.
    public static func load(_ url: URL, maxDimension: Int? = nil) throws -> Tensor {
        try start()
        try checkIsFile(url)
        var target = (width: Int32(0), height: Int32(0))
        let size = try self.size(of: url)
        guard size.width * size.height <= maximumPixels else {
            throw ImageError.tooLarge(path: url.path, width: size.width, height: size.height, limit: maximumPixels)
        }
        if let maxDimension {
            let fitted = fittedSize(width: size.width, height: size.height, maxDimension: maxDimension)
            target = (Int32(fitted.width), Int32(fitted.height))
        }
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0
        let status = impasto_vips_load_rgb(url.path, target.width, target.height, &pixels, &width, &height)
        if status == IMPASTO_VIPS_NOT_AN_IMAGE { throw ImageError.notAnImage(path: url.path) }
        guard status == 0, let pixels else { throw ImageError.damaged(path: url.path, detail: lastError()) }
        defer { impasto_vips_free(pixels) }
        return tensor(fromInterleaved: UnsafeBufferPointer(start: pixels, count: Int(width * height * 3)),
                      width: Int(width), height: Int(height))
    }

    /// The size of the image in `url` after EXIF orientation, from its header.
    public static func size(of url: URL) throws -> (width: Int, height: Int) {
        try start()
        try checkIsFile(url)
        var width: Int32 = 0, height: Int32 = 0
        guard impasto_vips_probe(url.path, &width, &height) == 0 else { throw ImageError.notAnImage(path: url.path) }
        return (Int(width), Int(height))
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
        try start()
        let ext = url.pathExtension.lowercased()
        guard writableExtensions.contains(ext) else { throw ImageError.unsupportedFormat(path: url.path) }
        let (bytes, clipped) = try quantized(image, for: url.path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.deletingPathExtension().lastPathComponent).\(UUID().uuidString).\(ext)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let status = bytes.withUnsafeBufferPointer {
            impasto_vips_save_rgb($0.baseAddress, Int32(image.shape.w), Int32(image.shape.h), temporary.path, Int32(quality))
        }
        guard status == 0 else { throw ImageError.cannotWrite(path: url.path, reason: lastError()) }
        guard rename(temporary.path, url.path) == 0 else {
            throw ImageError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
        return clipped
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
        try start()
        let (bytes, _) = try quantized(image, for: "(image being resized)")
        var output: UnsafeMutablePointer<UInt8>?
        let status = bytes.withUnsafeBufferPointer {
            impasto_vips_resize_rgb($0.baseAddress, Int32(image.shape.w), Int32(image.shape.h), Int32(width),
                                    Int32(height), &output)
        }
        guard status == 0, let output else { throw ImageError.damaged(path: "(in memory)", detail: lastError()) }
        defer { impasto_vips_free(output) }
        return tensor(fromInterleaved: UnsafeBufferPointer(start: output, count: width * height * 3),
                      width: width, height: height)
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

    static func tensor(fromInterleaved pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int) -> Tensor {
        let plane = width * height
        var values = [Float](repeating: 0, count: plane * 3)
        for pixel in 0..<plane {
            for channel in 0..<3 { values[channel * plane + pixel] = Float(pixels[pixel * 3 + channel]) / 255 }
        }
        return Tensor(shape: Shape(1, 3, height, width), scalars: values)
    }

    /// Throws `missing` or `folder` unless `url` names a file.
    private static func checkIsFile(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { throw ImageError.missing(path: url.path) }
        guard !isFolder.boolValue else { throw ImageError.folder(path: url.path) }
    }

    private static func start() throws {
        guard impasto_vips_start() == 0 else { throw ImageError.libraryUnavailable(detail: lastError()) }
    }

    private static func lastError() -> String { String(cString: impasto_vips_last_error()) }
}
