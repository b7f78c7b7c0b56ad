import Dispatch
import Foundation
import ImpastoCore
import ImpastoImage

/// The photos a style network trains on: every JPEG and PNG under a folder, each resized so its
/// shorter side is `size` and centre-cropped to `size × size` — or, with an augmentation, cut as a
/// random zoomed and mirrored crop — served in batches in an order fixed by the seed and the epoch
/// (so a resumed run sees the same batches, crops included).
public struct TrainingImages: Sendable {
    public static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    public let files: [URL]
    public let size: Int
    public let batchSize: Int
    public let seed: UInt64
    public let augmentation: TrainingAugmentation?

    /// Lists the images under `folder` (sorted, so the order does not depend on the file system).
    public init(folder: URL, size: Int, batchSize: Int, seed: UInt64, augmentation: TrainingAugmentation? = nil) throws {
        guard batchSize >= 1 else { throw ConfigurationError(setting: "batchSize", problem: "must be at least 1") }
        guard size >= 16 else { throw ConfigurationError(setting: "imageSize", problem: "must be at least 16") }
        try augmentation?.validate()
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw ImageError.missing(path: folder.path)
        }
        files = enumerator.compactMap { $0 as? URL }
            .filter { Self.extensions.contains($0.pathExtension.lowercased()) }
            .sorted { $0.path < $1.path }
        guard files.count >= batchSize else {
            throw TrainingError.tooFewPhotos(folder: folder.path, found: files.count, batchSize: batchSize)
        }
        self.size = size
        self.batchSize = batchSize
        self.seed = seed
        self.augmentation = augmentation
    }

    /// Whole batches per pass over the images (the remainder is left out of each epoch).
    public var batchesPerEpoch: Int { files.count / batchSize }

    /// The files of the batch a 0-based iteration trains on.
    public func batchFiles(iteration: Int) -> [URL] {
        Array(candidates(iteration: iteration).prefix(batchSize))
    }

    /// The epoch's order of files starting at the iteration's batch and wrapping round: the
    /// batch, then the files that stand in for any of it that cannot be read.
    private func candidates(iteration: Int) -> [URL] {
        let epoch = iteration / batchesPerEpoch
        var generator = SeededGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        let order = files.indices.shuffled(using: &generator)
        let start = (iteration % batchesPerEpoch) * batchSize
        return (order[start...] + order[..<start]).map { files[$0] }
    }

    /// The batch as `batchSize × 3 × size × size`. A photo that cannot be read (damaged, too
    /// large) is reported to `skipping` and replaced by the next one in the epoch's order, so one
    /// bad file among thousands does not stop an hour of training.
    public func batch(iteration: Int, skipping: (URL, ImageError) -> Void = { _, _ in }) throws -> Tensor {
        var images: [Tensor] = []
        for file in candidates(iteration: iteration) where images.count < batchSize {
            do {
                if let augmentation {
                    var generator = SeededGenerator(seed: seed ^ (UInt64(iteration) &* 0xD1B5_4A32_D192_ED03)
                                                    ^ (UInt64(images.count) &* 0x8CB9_2BA7_2F3D_8DD7))
                    images.append(try augmentation.crop(file, size: size, using: &generator))
                } else {
                    images.append(try Self.square(file, size: size))
                }
            } catch let error as ImageError {
                skipping(file, error)
            }
        }
        guard images.count == batchSize else {
            throw TrainingError.tooFewReadablePhotos(found: images.count, batchSize: batchSize)
        }
        return Tensor(shape: Shape(images.count, 3, size, size), scalars: images.flatMap(\.scalars))
    }

    /// One image with its shorter side resized to `size`, centre-cropped to a square.
    public static func square(_ url: URL, size: Int) throws -> Tensor {
        let image = try shorterSide(url, resizedTo: size)
        return crop(image, size: size, top: (image.shape.h - size) / 2, left: (image.shape.w - size) / 2)
    }

    /// The image resized so its shorter side is `side` (the longer at least `side` too).
    static func shorterSide(_ url: URL, resizedTo side: Int) throws -> Tensor {
        let (width, height) = try ImageFile.size(of: url)
        let scale = Double(side) / Double(min(width, height))
        let fitted = (width: max(side, Int((Double(width) * scale).rounded())),
                      height: max(side, Int((Double(height) * scale).rounded())))
        var image = try ImageFile.load(url, maxDimension: max(fitted.width, fitted.height))
        if image.shape.w != fitted.width || image.shape.h != fitted.height {
            image = try ImageFile.resized(image, width: fitted.width, height: fitted.height)
        }
        return image
    }

    /// The `size × size` square at `top`, `left`, mirrored left to right when `mirrored`.
    static func crop(_ image: Tensor, size: Int, top: Int, left: Int, mirrored: Bool = false) -> Tensor {
        let values = image.laidOut(as: .nchw).scalars
        var cropped = [Float](repeating: 0, count: 3 * size * size)
        for channel in 0..<3 {
            for y in 0..<size {
                let from = (channel * image.shape.h + top + y) * image.shape.w + left
                let to = (channel * size + y) * size
                if mirrored {
                    cropped.replaceSubrange(to..<(to + size), with: values[from..<(from + size)].reversed())
                } else {
                    cropped.replaceSubrange(to..<(to + size), with: values[from..<(from + size)])
                }
            }
        }
        return Tensor(shape: Shape(1, 3, size, size), scalars: cropped)
    }
}

/// Loads the next batch on a background queue while the current one trains.
public final class BatchPrefetcher: @unchecked Sendable {
    private let images: TrainingImages
    private let skipping: @Sendable (URL, ImageError) -> Void
    private let queue = DispatchQueue(label: "impasto.batches")
    private var pending: (iteration: Int, group: DispatchGroup, result: Result<Tensor, Error>?)?

    /// `skipping` hears each photo that could not be read (on the loading thread).
    public init(_ images: TrainingImages, skipping: @escaping @Sendable (URL, ImageError) -> Void = { _, _ in }) {
        self.images = images
        self.skipping = skipping
    }

    /// The batch for `iteration`, then starts loading `iteration + 1`.
    public func batch(iteration: Int) throws -> Tensor {
        let batch: Tensor
        pending?.group.wait()
        if let pending, pending.iteration == iteration {
            batch = try pending.result!.get()
        } else {
            batch = try images.batch(iteration: iteration, skipping: skipping)
        }
        prefetch(iteration + 1)
        return batch
    }

    private func prefetch(_ iteration: Int) {
        let group = DispatchGroup()
        pending = (iteration, group, nil)
        group.enter()
        queue.async { [images, skipping] in
            let result = Result { try images.batch(iteration: iteration, skipping: skipping) }
            self.pending?.result = result
            group.leave()
        }
    }
}

/// A training set that cannot work, as one line naming the folder.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case tooFewPhotos(folder: String, found: Int, batchSize: Int)
    case tooFewReadablePhotos(found: Int, batchSize: Int)

    public var description: String {
        switch self {
        case .tooFewPhotos(let folder, let found, let batchSize):
            "\(folder): \(found) JPEG/PNG images, fewer than one batch of \(batchSize)"
        case .tooFewReadablePhotos(let found, let batchSize):
            "only \(found) of its photos can be read, fewer than one batch of \(batchSize)"
        }
    }
}
