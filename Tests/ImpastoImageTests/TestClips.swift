import Foundation
import ImpastoCore
import ImpastoImage
import _TestSupport

/// Short camera moves over a still photo, made with ffmpeg by the test that needs them and
/// deleted afterwards, so the repository holds only this recipe. Each clip is 640×360 at
/// 10 frames per second, encoded with x264 like `impasto video`'s output.
enum TestClip: String, CaseIterable, CustomStringConvertible {
    case still, pan, zoom, rotation

    var description: String { rawValue }

    /// The ffmpeg filter that moves the camera over the photo (451×300, scaled up to 960 wide
    /// so that every crop stays inside it); `t` is the time in seconds.
    var filter: String {
        switch self {
        case .still: "scale=960:-2,crop=640:360:160:140"
        case .pan: "scale=960:-2,crop=640:360:x='100+60*t':y='140+10*t'"
        case .zoom: "scale=w='960*(1+0.06*t)':h=-2:eval=frame,crop=640:360"
        case .rotation: "scale=960:-2,rotate=a='0.04*t':ow=640:oh=360"
        }
    }

    /// Makes the clip in a new temporary folder, hands its frames (decoded at `width × height`)
    /// to `body`, and removes the folder.
    func withFrames<R>(seconds: Int = 2, width: Int = 320, height: Int = 180,
                       _ body: ([Tensor]) throws -> R) throws -> R {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-clip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("\(rawValue).mp4")
        try make(clip, seconds: seconds)
        let reader = try FFmpeg().decode(clip, width: width, height: height)
        var frames: [Tensor] = []
        while let frame = try reader.nextFrame() { frames.append(frame) }
        try reader.finish()
        return try body(frames)
    }

    private func make(_ url: URL, seconds: Int) throws {
        let photo = try Fixtures.file("images/chelsea-cat.png")
        let process = Process()
        process.executableURL = try FFmpeg().ffmpeg
        process.arguments = ["-v", "error", "-y", "-loop", "1", "-framerate", "10", "-i", photo.path, "-t", "\(seconds)",
                             "-vf", filter, "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", url.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ClipError(clip: rawValue, status: process.terminationStatus) }
    }

    struct ClipError: Error, CustomStringConvertible {
        var clip: String
        var status: Int32
        var description: String { "ffmpeg could not make the \(clip) test clip (exit status \(status))" }
    }
}
