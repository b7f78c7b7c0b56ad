import Foundation
import ImpastoCore
import ImpastoImage

/// An image a run reads: a file, decoded when the run starts, or an image already decoded (the
/// studio's uploads, a Swift caller's tensors). Either way it is shrunk to the run's size limit.
public enum ImageSource: Sendable {
    case file(URL)
    /// `1 × 3 × H × W` RGB in [0, 1]; `name` is what errors call it.
    case image(Tensor, name: String)

    /// What errors call this image: the file's path or the given name.
    public var name: String {
        switch self {
        case .file(let url): url.path
        case .image(_, let name): name
        }
    }

    /// The image, its longer side at most `maxDimension` (never enlarged).
    public func load(maxDimension: Int?) throws -> Tensor {
        switch self {
        case .file(let url):
            return try ImageFile.load(url, maxDimension: maxDimension)
        case .image(let image, _):
            guard let maxDimension else { return image }
            let size = ImageFile.fittedSize(width: image.shape.w, height: image.shape.h, maxDimension: maxDimension)
            guard size.width != image.shape.w || size.height != image.shape.h else { return image }
            return try ImageFile.resized(image, width: size.width, height: size.height)
        }
    }

    /// The image with its transparency and frame count, shrunk as `load` does; an image already
    /// decoded has neither.
    public func loadWithAlpha(maxDimension: Int?) throws -> DecodedImage {
        switch self {
        case .file(let url): try ImageFile.loadWithAlpha(url, maxDimension: maxDimension)
        case .image: DecodedImage(colour: try load(maxDimension: maxDimension))
        }
    }
}
