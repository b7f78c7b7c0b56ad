import Foundation
import Testing
import _TestSupport

/// `impasto evaluate` end to end: a model trained for one step at 32×32, measured on the tiny cat photos.
@Suite("impasto evaluate")
struct EvaluateCommandTests {
    static func photos() throws -> [String] {
        [try Fixtures.tinyContent.path, try Fixtures.file("images/tiny/chelsea-cat-96x64.png").path]
    }

    /// A one-step model in `folder`.
    static func model(in folder: URL) throws -> String {
        let trained = try TrainOptionsCommandTests.train("model", in: folder, ["--width", "quarter"])
        #expect(trained.status == 0, "\(trained.errors)")
        return folder.appendingPathComponent("model.safetensors").path
    }

    @Test func writesATableAndJSONWithEveryKey() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try Self.model(in: folder)
        let json = folder.appendingPathComponent("report.json")
        let result = try CLI.run(["evaluate", model] + (try Self.photos()) + ["--style", try Fixtures.tinyStyle.path,
                                  "--size", "32", "--iterations", "3", "--json", json.path, "--progress-every", "1"])
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("photo") == true && lines.count == 5, "\(result.output)")
        #expect(lines[1].hasPrefix("chelsea-cat-64x48.png") && lines[3].hasPrefix("mean"), "\(result.output)")
        // `train` records the whole objective, so nothing is assumed.
        #expect(!result.errors.contains("does not record"), "\(result.errors)")
        #expect(result.errors.contains("photo 1/2  step 1/3  loss "), "progress lines name the photo and step: \(result.errors)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(Set(report.keys) == ["model", "style", "size", "iteration_cap", "content_layers", "style_layers",
                                     "content_weight", "style_weight", "tv_weight", "style_size", "photos", "mean"])
        #expect(report["size"] as? Int == 32 && report["iteration_cap"] as? Int == 3)
        let photos = try #require(report["photos"] as? [[String: Any]])
        #expect(photos.count == 2)
        for photo in photos {
            #expect(Set(photo.keys) == ["photo", "network", "photo_loss", "lbfgs", "lbfgs_iteration", "equivalent_iterations",
                                        "reached", "lbfgs_stop", "content_ratio"])
            let network = try #require(photo["network"] as? [String: Any])
            #expect(Set(network.keys) == ["total", "content", "style", "total_variation"])
        }
        let mean = try #require(report["mean"] as? [String: Any])
        #expect(Set(mean.keys) == ["equivalent_iterations", "reached", "network", "lbfgs", "content_ratio"])
    }

    /// Each bad flag is one line naming it, said before the model (here a photo) is read.
    @Test(arguments: [
        (["--size", "30"], "Error: --size must be a multiple of 4, at least 16"),
        (["--iterations", "0"], "Error: --iterations must be at least 1"),
        (["--json", "/no/such/folder/report.json"], "Error: --json /no/such/folder/report.json: folder /no/such/folder does not exist"),
        (["--style-layers", "block9_conv9"], nil),
    ] as [([String], String?)])
    func aBadFlagIsOneLine(flags: [String], message: String?) throws {
        let photo = try Fixtures.tinyContent.path
        let result = try CLI.run(["evaluate", photo, photo, "--style", try Fixtures.tinyStyle.path] + flags)
        #expect(result.status != 0)
        let errors = result.errors.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!errors.contains("\n"), "\(errors)")
        if let message { #expect(errors == message) } else { #expect(errors.hasPrefix("Error: ") && errors.contains("block9_conv9"), "\(errors)") }
    }

    @Test func aMissingOrWrongFileIsOneLineNamingIt() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = try Fixtures.tinyContent.path
        let missing = folder.appendingPathComponent("nope.safetensors").path
        let cases: [([String], String)] = [
            ([missing, photo, "--style", photo], "Error: \(missing): no such file"),
            ([photo, photo, "--style", missing], "Error: --style \(missing): no such file"),
            ([photo, missing, "--style", photo], "Error: \(missing): no such file"),
            ([photo, "--style", photo], "Error: give at least one photo to measure on"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(["evaluate"] + arguments)
            #expect(result.status != 0)
            #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines) == message)
        }
        let notAModel = try CLI.run(["evaluate", photo, photo, "--style", photo, "--size", "32"])
        #expect(notAModel.status != 0)
        let line = notAModel.errors.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("Error: \(photo)") && !line.contains("\n"), "\(line)")
    }
}
