import Foundation

/// Short camera moves over a still photo, made with ffmpeg: the clips that the flicker tests
/// and `impasto bench flicker` measure. They live in the library so that both make the same
/// clips, and the repository holds only this recipe. Each clip is 640×360 at 10 frames per
/// second, encoded with x264 like `impasto video`'s output.
public enum CameraMove: String, CaseIterable, Sendable, CustomStringConvertible {
    case still, pan, zoom, rotation

    public var description: String { rawValue }

    /// The ffmpeg filter that moves the camera over the photo (the 451×300 benchmark photo,
    /// scaled up to 960 wide so that every crop stays inside it); `t` is the time in seconds.
    public var filter: String {
        switch self {
        case .still: "scale=960:-2,crop=640:360:160:140"
        case .pan: "scale=960:-2,crop=640:360:x='100+60*t':y='140+10*t'"
        case .zoom: "scale=w='960*(1+0.06*t)':h=-2:eval=frame,crop=640:360"
        case .rotation: "scale=960:-2,rotate=a='0.04*t':ow=640:oh=360"
        }
    }

    /// Writes the clip of `photo` to `url` (an .mp4), `seconds` long.
    public func make(from photo: URL, to url: URL, seconds: Int) throws {
        let process = Process()
        process.executableURL = try FFmpeg().ffmpeg
        process.arguments = ["-v", "error", "-y", "-loop", "1", "-framerate", "10", "-i", photo.path, "-t", "\(seconds)",
                             "-vf", filter, "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", url.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw VideoError.failed(path: url.path, message: String(decoding: message, as: UTF8.self))
        }
    }
}
