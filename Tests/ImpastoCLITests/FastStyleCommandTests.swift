import Foundation
import Testing
import _TestSupport

/// `impasto import-model`, `apply` and `video` with the small imported fixture model.
@Suite("impasto import-model, apply and video")
struct FastStyleCommandTests {
    static let pytorchFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ImpastoModelsTests/Fixtures/transformer-net-w8.pt")

    /// The fixture converted to Impasto's format in `folder`.
    static func importedModel(in folder: URL) throws -> URL {
        let model = folder.appendingPathComponent("model.safetensors")
        let result = try CLI.run(["import-model", pytorchFixture.path, "-o", model.path])
        #expect(result.status == 0, "\(result.errors)")
        return model
    }

    static func write(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(arguments.joined(separator: " ")) failed")
    }

    @Test func applyKeepsAFoldersTreeAndSkipsWhatIsNotAnImageOrDamaged() throws {
        let folder = try scratchFolder()
        let model = try Self.importedModel(in: folder)
        let photos = folder.appendingPathComponent("photos/nested")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try Self.write(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=37x29", "-frames:v", "1",
                        photos.appendingPathComponent("a.png").path])
        try "not a photo".write(to: photos.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let whole = try Data(contentsOf: photos.appendingPathComponent("a.png"))
        try whole.prefix(whole.count / 2).write(to: photos.appendingPathComponent("damaged.png"))
        let output = folder.appendingPathComponent("styled")
        let result = try CLI.run(["apply", model.path, folder.appendingPathComponent("photos").path, "-o", output.path,
                                  "--strength", "0.8"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.errors.contains("warning: skipping"), "\(result.errors)")
        #expect(result.errors.contains("damaged.png"), "a damaged photo is skipped with a warning: \(result.errors)")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("photos/nested/a.png").path))

        let single = folder.appendingPathComponent("one.jpg")
        let one = try CLI.run(["apply", model.path, photos.appendingPathComponent("a.png").path, "-o", single.path,
                               "--preserve-colors", "luminance"])
        #expect(one.status == 0, "\(one.errors)")
        #expect(FileManager.default.fileExists(atPath: single.path))

        let bad = try CLI.run(["apply", Self.pytorchFixture.path, photos.appendingPathComponent("a.png").path,
                               "-o", folder.appendingPathComponent("x.png").path])
        #expect(bad.status != 0)
        #expect(bad.errors.contains("convert a PyTorch fast_neural_style file with `impasto import-model`"), "\(bad.errors)")
    }

    /// `apply` writes the settings it used beside its output, and `--config` with that file
    /// repeats the run byte for byte.
    @Test func applyRepeatsItselfFromItsSettingsFile() throws {
        let folder = try scratchFolder()
        let model = try Self.importedModel(in: folder)
        let photo = folder.appendingPathComponent("photo.png")
        try Self.write(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=40x30", "-frames:v", "1", photo.path])
        let first = folder.appendingPathComponent("first.png")
        let run = try CLI.run(["apply", model.path, photo.path, "-o", first.path, "--strength", "0.5",
                               "--preserve-colors", "luminance", "--quiet"])
        #expect(run.status == 0, "\(run.errors)")
        let settings = first.appendingPathExtension("json")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: settings)) as? [String: Any]
        #expect(written?["strength"] as? Double == 0.5 && written?["preserve-colors"] as? String == "luminance")
        let again = folder.appendingPathComponent("again.png")
        let repeated = try CLI.run(["apply", "--config", settings.path, "-o", again.path, "--quiet"])
        #expect(repeated.status == 0, "\(repeated.errors)")
        #expect(try Data(contentsOf: again) == Data(contentsOf: first))
    }

    /// Every command that does work reads `--config` and refuses a key it does not have, in one line.
    @Test(arguments: ["train", "apply", "video", "stylize"])
    func everyWorkingCommandReadsAConfigFile(_ command: String) throws {
        let folder = try scratchFolder()
        let config = folder.appendingPathComponent("settings.yaml")
        try "max-dims: 256\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try CLI.run([command, "--config", config.path])
        #expect(result.status != 0)
        #expect(result.errors.contains("settings.yaml: unknown key 'max-dims'"), "\(result.errors)")
        #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
    }

    @Test func videoKeepsFrameCountDurationAndAudio() throws {
        let folder = try scratchFolder()
        let model = try Self.importedModel(in: folder)
        let clip = folder.appendingPathComponent("clip.mp4")
        try Self.write(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-f", "lavfi",
                        "-i", "sine=frequency=440:sample_rate=22050", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", clip.path])
        let output = folder.appendingPathComponent("styled.mp4")
        let result = try CLI.run(["video", model.path, clip.path, "-o", output.path])
        #expect(result.status == 0, "\(result.errors)")
        let original = try Self.probe(clip)
        let styled = try Self.probe(output)
        #expect(styled.frames == original.frames && styled.frames == 20, "frames \(original.frames) → \(styled.frames)")
        #expect(abs(styled.duration - original.duration) < 0.1, "duration \(original.duration) → \(styled.duration)")
        #expect(styled.hasAudio)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.contains { $0.hasPrefix(".") }, "temporary files left: \(names)")
    }

    /// Frame count, duration and whether there is audio, by ffprobe.
    static func probe(_ url: URL) throws -> (frames: Int, duration: Double, hasAudio: Bool) {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                             "stream=codec_type,nb_read_frames:format=duration", "-of", "json", url.path]
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let streams = json["streams"] as! [[String: Any]]
        let video = streams.first { $0["codec_type"] as? String == "video" }
        return (Int(video?["nb_read_frames"] as? String ?? "") ?? -1,
                Double((json["format"] as! [String: Any])["duration"] as! String) ?? -1,
                streams.contains { $0["codec_type"] as? String == "audio" })
    }
}
