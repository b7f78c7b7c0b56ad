/// Why an image could not be read or written. Each message names the file and fits on one line.
public enum ImageError: Error, CustomStringConvertible, Equatable {
    case missing(path: String)
    /// A folder where one image was expected.
    case folder(path: String)
    case notAnImage(path: String)
    case damaged(path: String, detail: String)
    case cannotWrite(path: String, reason: String)
    case unsupportedFormat(path: String)
    case libraryUnavailable(detail: String)
    /// The image to write holds NaN or infinite values (a diverged optimisation or a broken model).
    case notFinite(path: String, count: Int)
    /// The header claims more pixels than `ImageFile.maximumPixels`.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// The file name to write is longer than file systems allow (`ImageFile.maximumNameBytes`).
    case nameTooLong(path: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no such file"
        case .folder(let path): "\(path): a folder, not an image file"
        case .notAnImage(let path): "\(path): not an image Impasto can read (JPEG, PNG, WebP, TIFF, …)"
        case .damaged(let path, let detail): "\(path): cannot decode the image (\(detail))"
        case .cannotWrite(let path, let reason): "\(path): cannot write the image (\(reason))"
        case .unsupportedFormat(let path): "\(path): unknown output format; use .jpg, .png, .webp or .tif"
        case .libraryUnavailable(let detail): "libvips failed to start: \(detail)"
        case .tooLarge(let path, let width, let height, let limit):
            "\(path): \(width)×\(height) is more than the \(limit / 1_000_000) megapixels Impasto decodes; shrink it first"
        case .nameTooLong(let path, let bytes, let limit):
            "\(path): the file name would be \(bytes) bytes, more than the \(limit) file systems allow; shorten it"
        case .notFinite(let path, let count):
            "\(path): not written: \(count) values of the image are not finite numbers (the run diverged or the model is broken)"
        }
    }
}
