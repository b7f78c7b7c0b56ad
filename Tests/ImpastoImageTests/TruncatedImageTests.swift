import Foundation
import ImpastoCore
import ImpastoImage
import Testing

/// A file cut short (an interrupted copy or download) must fail with one line naming it as damaged.
/// Without libvips' `fail_on` a JPEG or PNG cut in its pixel data loads "successfully", its missing
/// part grey; one cut in its header used to be called "not an image".
@Suite("Truncated images fail, never load half grey")
struct TruncatedImageTests {
    /// A 48×32 photo with detail everywhere, so that every part of the file holds pixel data.
    static let photo = Tensor(shape: Shape(1, 3, 32, 48), scalars: (0..<3 * 32 * 48).map { index in
        Float((index &* 2_654_435_761) >> 7 & 0xFF) / 255
    })

    /// Cut points inside the header and across the pixel data (the last tenth, which may hold only
    /// trailing chunks, is left out).
    static let fractions = [0.01, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.9]

    @Test(arguments: ["png", "jpg", "webp"])
    func everyCutFailsWithOneLineNamingTheFile(_ ext: String) throws {
        let whole = scratchFile("whole.\(ext)")
        defer { try? FileManager.default.removeItem(at: whole) }
        try ImageFile.save(Self.photo, to: whole)
        let bytes = try Data(contentsOf: whole)
        for fraction in Self.fractions {
            let length = Int(Double(bytes.count) * fraction)
            // A new name for each cut: libvips caches loads by file name.
            let cut = scratchFile("cut-\(length).\(ext)")
            defer { try? FileManager.default.removeItem(at: cut) }
            try bytes.prefix(length).write(to: cut)
            for keepingAlpha in [false, true] {
                do {
                    _ = keepingAlpha ? try ImageFile.loadWithAlpha(cut).colour : try ImageFile.load(cut)
                    Issue.record("\(ext) cut to \(length) of \(bytes.count) bytes loaded (keeping alpha: \(keepingAlpha))")
                } catch ImageError.damaged(let path, let detail) {
                    // Damaged, not "not an image": the file's first bytes say what it was meant to be.
                    #expect(path == cut.path && !detail.isEmpty && !detail.contains("\n"), "\(detail)")
                } catch {
                    Issue.record("\(ext) cut to \(length) of \(bytes.count) bytes: \(error)")
                }
            }
        }
    }
}
