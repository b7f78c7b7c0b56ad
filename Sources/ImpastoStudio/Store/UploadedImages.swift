import Foundation
import ImpastoCore
import ImpastoImage

/// Takes an upload in: its type sniffed from its first bytes (never from its name), its size read
/// from the header and checked before anything is decoded, then decoded once, small, to make the
/// thumbnail, which also proves the file is whole.
struct UploadedImages: Sendable {
    let folder: StudioFolder
    let database: StudioDatabase
    let pixelLimit: Int

    static let thumbnailSide = 256

    /// The formats accepted and the extension each is stored under.
    enum Format: String {
        case jpeg = "jpg", png, webp, tiff = "tif"

        /// The format `bytes` begin like, if any.
        init?(sniffing bytes: Data) {
            let head = [UInt8](bytes.prefix(12))
            func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
                head.count >= offset + magic.count && Array(head[offset..<(offset + magic.count)]) == magic
            }
            if starts([0xFF, 0xD8, 0xFF]) { self = .jpeg }
            else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png }
            else if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { self = .webp }
            else if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { self = .tiff }
            else { return nil }
        }
    }

    /// Stores `bytes` as a new photo or painting; `name` is only shown, never used as a path.
    func accept(_ bytes: Data, role: ImageRecord.Role, name: String) async throws -> ImageRecord {
        guard let format = Format(sniffing: bytes) else {
            throw StudioError(.unsupportedMediaType, "not_an_image", "\(Self.shown(name)) is not a JPEG, PNG, WebP or TIFF image")
        }
        let id = UUID().uuidString.lowercased()
        let file = "\(id).\(format.rawValue)"
        let url = folder.uploads.appendingPathComponent(file)
        try StudioFolder.writeAtomically(bytes, to: url)
        do {
            let size = try ImageFile.size(of: url)
            guard size.width * size.height <= pixelLimit else {
                throw StudioError(.contentTooLarge, "too_many_pixels",
                                  "\(Self.shown(name)) is \(size.width)×\(size.height); the studio takes at most \(pixelLimit / 1_000_000) megapixels")
            }
            let thumbnail = folder.thumbnail(ofImage: id)
            try await Blocking.run {
                let small = try ImageFile.load(url, maxDimension: Self.thumbnailSide)
                try ImageFile.save(small, to: thumbnail, quality: 85)
            }
            let record = ImageRecord(id: id, role: role, originalName: Self.shown(name), file: file, width: size.width,
                                     height: size.height, bytes: bytes.count, createdAt: Date())
            try database.insert(record)
            return record
        } catch {
            StudioFolder.remove([url, folder.thumbnail(ofImage: id)])
            if let error = error as? StudioError { throw error }
            if let error = error as? ImageError {
                throw StudioError(.unprocessableContent, "damaged_image", "\(Self.shown(name)): \(Self.withoutPath(error.description, url))")
            }
            throw error
        }
    }

    func delete(_ image: ImageRecord) throws {
        _ = try database.deleteImage(image.id)
        StudioFolder.remove([folder.upload(image), folder.thumbnail(ofImage: image.id)])
    }

    /// A user's file name as the page shows it: the last path component, printable, at most 100
    /// characters ("upload" when nothing is left).
    static func shown(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let printable = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.prefix(100))
        return printable.isEmpty ? "upload" : printable
    }

    /// Errors name the server's file; the page should see the user's name only.
    private static func withoutPath(_ message: String, _ url: URL) -> String {
        message.replacingOccurrences(of: url.path + ": ", with: "").replacingOccurrences(of: url.path, with: "the file")
    }
}
