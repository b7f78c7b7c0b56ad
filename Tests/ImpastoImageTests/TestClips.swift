import Foundation
import ImpastoCore
import ImpastoImage
import _TestSupport

extension CameraMove {
    /// Makes the clip of the benchmark photo in a new temporary folder, hands its frames
    /// (decoded at `width × height`) to `body`, and removes the folder.
    func withFrames<R>(seconds: Int = 2, width: Int = 320, height: Int = 180,
                       _ body: ([Tensor]) throws -> R) throws -> R {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-clip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("\(rawValue).mp4")
        try make(from: try Fixtures.file("images/chelsea-cat.png"), to: clip, seconds: seconds)
        let reader = try FFmpeg().decode(clip, width: width, height: height)
        var frames: [Tensor] = []
        while let frame = try reader.nextFrame() { frames.append(frame) }
        try reader.finish()
        return try body(frames)
    }
}
