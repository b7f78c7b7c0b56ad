import Foundation
import ImpastoImage
import Testing
import _TestSupport

/// Weights and learning rates the flags accept but Float cannot hold: one line naming the step,
/// a non-zero exit, the last good image written, and no model or checkpoint replaced by NaN.
@Suite("stylize and train stop at a NaN or infinite step")
struct NonFiniteCommandTests {
    static func stylize(_ output: URL, _ extra: [String]) throws -> CLI.Result {
        try CLI.run(["stylize", try Fixtures.tinyContent.path, try Fixtures.tinyStyle.path, "-o", output.path,
                     "--epochs", "1", "--steps-per-epoch", "5", "--quiet"] + extra)
    }

    /// Adam's second step makes the image NaN (it used to fail only when saving, after the run).
    @Test func stylizeWritesTheImageFromBeforeTheStepAndNamesIt() throws {
        let output = try scratchFolder().appendingPathComponent("out.png")
        let result = try Self.stylize(output, ["--preset", "tutorial", "--style-weight", "1e25"])
        #expect(result.status == 1)
        #expect(result.errors.trimmingCharacters(in: .newlines) == "Error: the image became NaN or infinite at step 2: "
            + "the steps overshot; lower --style-weight, --content-weight or --learning-rate; "
            + "wrote the image from before that step to \(output.path)")
        let image = try ImageFile.load(output)
        #expect((image.shape.w, image.shape.h) == (64, 48))
    }

    /// The first loss is infinite: nothing to keep (it used to "converge" and write the photo, exit 0).
    @Test func stylizeWithNothingGoodWritesNothing() throws {
        let output = try scratchFolder().appendingPathComponent("out.png")
        let result = try Self.stylize(output, ["--style-weight", "1e30"])
        #expect(result.status == 1)
        #expect(result.errors.contains("Error: the loss became NaN or infinite at step 1: "), "\(result.errors)")
        #expect(result.errors.hasSuffix("; \(output.path) not written\n"), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    /// A learning rate of 1e20 makes finite weights whose output is NaN: neither the checkpoint
    /// due at step 1 nor the model is written (the model used to be one that stylises every photo
    /// black, exit 0; the checkpoint replaced the last good one before the sample photo failed).
    @Test(arguments: [["--checkpoint-every", "1"], []])
    func trainWritesNoModelOrCheckpointThatMakesNaN(_ extra: [String]) throws {
        let folder = try scratchFolder()
        let model = folder.appendingPathComponent("m.safetensors")
        let result = try CLI.run(["train", try Fixtures.tinyStyle.path, "--dataset", try Fixtures.file("images/tiny").path,
                                  "--image-size", "32", "--batch-size", "2", "--iterations", "1", "--width", "quarter",
                                  "--learning-rate", "1e20", "--quiet", "-o", model.path] + extra)
        #expect(result.status == 1)
        #expect(result.errors.trimmingCharacters(in: .newlines) == "Error: the network's output became NaN or infinite "
            + "at step 1: the steps overshot; lower --learning-rate; this run wrote no checkpoint; \(model.path) not written")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["m.safetensors.json"])
    }
}
