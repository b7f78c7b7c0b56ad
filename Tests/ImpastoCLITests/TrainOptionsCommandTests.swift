import Foundation
import ImpastoModels
import Testing
import _TestSupport

/// `impasto train --width`, `--temporal-weight` and `--augment` end to end, on the tiny fixture photos.
@Suite("impasto train --width, --temporal-weight and --augment")
struct TrainOptionsCommandTests {
    /// Trains `iterations` steps at 32×32 with `extra` flags into `name`.safetensors in `folder`.
    static func train(_ name: String, in folder: URL, iterations: Int = 1, _ extra: [String] = []) throws -> CLI.Result {
        let tiny = try Fixtures.file("images/tiny")
        return try CLI.run(["train", try Fixtures.tinyStyle.path, "--dataset", tiny.path, "--image-size", "32",
                            "--batch-size", "2", "--iterations", "\(iterations)", "--seed", "3", "--quiet",
                            "-o", folder.appendingPathComponent("\(name).safetensors").path] + extra)
    }

    @Test func aQuarterWidthModelRecordsItsWidthAndApplies() throws {
        let folder = try scratchFolder()
        let trained = try Self.train("quarter", in: folder, ["--width", "quarter"])
        #expect(trained.status == 0, "\(trained.errors)")
        let model = folder.appendingPathComponent("quarter.safetensors")
        #expect(try StyleModel.load(contentsOf: model).metadata.width == .quarter)
        let output = folder.appendingPathComponent("styled.png")
        let applied = try CLI.run(["apply", "--model", model.path, try Fixtures.tinyContent.path, "-o", output.path, "--quiet"])
        #expect(applied.status == 0, "\(applied.errors)")
        #expect(FileManager.default.fileExists(atPath: output.path))
    }

    /// A batch of 0 photos used to divide by zero while loading the photos.
    @Test func aBatchOfNoPhotosIsRefusedNamingTheFlag() throws {
        let folder = try scratchFolder()
        let result = try Self.train("none", in: folder, ["--batch-size", "0"])
        #expect(result.status != 0)
        #expect(result.errors.trimmingCharacters(in: .whitespacesAndNewlines) == "Error: --batch-size must be at least 1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func widthAndBaseChannelsTogetherAreRefused() throws {
        let result = try Self.train("both", in: try scratchFolder(), ["--width", "half", "--base-channels", "16"])
        #expect(result.status != 0)
        #expect(result.errors.contains("give --width or --base-channels, not both"), "\(result.errors)")
    }

    /// Weight 0 trains the very network no flag trains, with the same metadata; a positive
    /// weight trains another. (Files are compared loaded: the metadata's JSON key order varies.)
    @Test func temporalWeightZeroChangesNothingAndAWeightChangesTheModel() throws {
        let folder = try scratchFolder()
        for (name, flags) in [("default", []), ("zero", ["--temporal-weight", "0"]), ("temporal", ["--temporal-weight", "1e9"])] {
            let result = try Self.train(name, in: folder, iterations: 2, ["--width", "quarter"] + flags)
            #expect(result.status == 0, "\(result.errors)")
        }
        func model(_ name: String) throws -> StyleModel {
            try StyleModel.load(contentsOf: folder.appendingPathComponent("\(name).safetensors"))
        }
        let (plain, zero, temporal) = (try model("default"), try model("zero"), try model("temporal"))
        #expect(zero.metadata == plain.metadata)
        for (name, tensor) in plain.network.parameters {
            #expect(zero.network.parameters[name]!.scalars == tensor.scalars, "\(name)")
        }
        #expect(temporal.metadata.training["temporal-weight"] == "1e+09")
        #expect(temporal.network.parameters["conv1.conv2d.weight"]!.scalars != plain.network.parameters["conv1.conv2d.weight"]!.scalars)
    }

    /// The model records the objective it was trained on (so `impasto evaluate` need not assume
    /// it) and its crops; random crops train another network than centre crops.
    @Test func aModelRecordsItsObjectiveAndAugmentation() throws {
        let folder = try scratchFolder()
        for (name, flags) in [("centre", []), ("augmented", ["--augment", "2"])] {
            let result = try Self.train(name, in: folder, iterations: 2, ["--width", "quarter", "--style-layers", "block1_conv2,block2_conv2"] + flags)
            #expect(result.status == 0, "\(result.errors)")
        }
        let centre = try StyleModel.load(contentsOf: folder.appendingPathComponent("centre.safetensors"))
        let augmented = try StyleModel.load(contentsOf: folder.appendingPathComponent("augmented.safetensors"))
        #expect(centre.metadata.training["content-layers"] == "block2_conv2")
        #expect(centre.metadata.training["style-layers"] == "block1_conv2,block2_conv2")
        #expect(centre.metadata.training["style-size"] == "512")
        #expect(centre.metadata.training["augment"] == nil)
        #expect(augmented.metadata.training["augment"] == "2.0")
        #expect(augmented.network.parameters["conv1.conv2d.weight"]!.scalars != centre.network.parameters["conv1.conv2d.weight"]!.scalars)
    }

    @Test func aZoomOutsideOneToFourIsRefusedNamingTheFlag() throws {
        let folder = try scratchFolder()
        let result = try Self.train("far", in: folder, ["--augment", "9"])
        #expect(result.status != 0)
        #expect(result.errors.contains("--augment must be between 1 and 4, not 9.0"), "\(result.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
