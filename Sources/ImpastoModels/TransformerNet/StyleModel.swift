import Foundation
import ImpastoCore

/// A trained fast-style model: the TransformerNet and what it is.
///
/// On disk it is one safetensors file: the parameters under PyTorch's names and shapes (biases
/// and norm parameters as `[C]`), and the metadata as JSON under the `impasto` metadata key.
public struct StyleModel: Sendable {
    public struct Metadata: Sendable, Codable, Equatable {
        public var architecture = "transformer-net"
        public var baseChannels: Int
        public var scaling: TransformerNet.Scaling
        /// The painting it was trained on (its file name), or where it was imported from.
        public var style: String
        /// Training settings as the command line gave them, for the record.
        public var training: [String: String]

        public init(baseChannels: Int, scaling: TransformerNet.Scaling, style: String, training: [String: String] = [:]) {
            self.baseChannels = baseChannels
            self.scaling = scaling
            self.style = style
            self.training = training
        }
    }

    public var network: TransformerNet
    public var metadata: Metadata

    public init(network: TransformerNet, metadata: Metadata) {
        self.network = network
        self.metadata = metadata
    }

    static let metadataKey = "impasto"

    public static func load(contentsOf url: URL) throws -> StyleModel {
        if try isPyTorchFile(url) {
            throw WeightFileError.unrecognised(path: url.path, reason: "a PyTorch file, not an Impasto model; "
                                               + "convert a PyTorch fast_neural_style file with `impasto import-model`")
        }
        let (arrays, fileMetadata) = try Safetensors.readFile(contentsOf: url)
        guard let json = fileMetadata[metadataKey],
              let metadata = try? JSONDecoder().decode(Metadata.self, from: Data(json.utf8)) else {
            throw WeightFileError.unrecognised(path: url.path, reason: "no Impasto model metadata; "
                                               + "convert a PyTorch fast_neural_style file with `impasto import-model`")
        }
        guard metadata.architecture == "transformer-net" else {
            throw WeightFileError.unrecognised(path: url.path, reason: "unknown architecture \(metadata.architecture)")
        }
        return StyleModel(network: try network(from: arrays, baseChannels: metadata.baseChannels,
                                               scaling: metadata.scaling, path: url.path),
                          metadata: metadata)
    }

    /// Whether the file starts like a zip archive (current torch.save) or a pickle (the legacy
    /// format, whose first byte is 0x80) rather than a safetensors file. A safetensors file starts
    /// with its header's length, whose first byte is 0x80 for one length in 256, so its header's
    /// opening brace at byte 8 is checked before the pickle's mark.
    static func isPyTorchFile(_ url: URL) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw WeightFileError.unreadable(path: url.path, reason: "cannot open")
        }
        defer { try? handle.close() }
        let start = [UInt8](try handle.read(upToCount: 9) ?? Data())
        if start.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return true }
        let safetensorsHeader = start.count == 9 && start[8] == UInt8(ascii: "{")
        return start.first == 0x80 && !safetensorsHeader
    }

    /// Writes the model atomically.
    public func save(to url: URL) throws {
        let arrays = network.parameters.mapValues { tensor in
            let shape = tensor.shape
            let dims = shape.n == 1 && shape.h == 1 && shape.w == 1 ? [shape.c] : shape.dims
            return WeightArray(shape: dims, tensor.laidOut(as: .nchw).scalars)
        }
        let json = String(decoding: try JSONEncoder().encode(metadata), as: UTF8.self)
        try Safetensors.write(arrays, metadata: [Self.metadataKey: json], to: url)
    }

    /// A pytorch/examples `fast_neural_style` checkpoint (a `.pth` state dict): 0…255 pixel
    /// scaling; its width is read from `conv1`; the running statistics old PyTorch versions
    /// saved for instance norm are dropped, as the example's own loader does.
    public static func importPyTorch(contentsOf url: URL) throws -> StyleModel {
        var arrays = try TorchCheckpoint.read(contentsOf: url)
        for key in arrays.keys where key.hasSuffix(".running_mean") || key.hasSuffix(".running_var") {
            arrays.removeValue(forKey: key)
        }
        guard let first = arrays["conv1.conv2d.weight"], first.shape.count == 4 else {
            throw WeightFileError.unrecognised(path: url.path, reason: "no conv1.conv2d.weight; not a fast_neural_style TransformerNet")
        }
        let base = first.shape[0]
        return StyleModel(network: try network(from: arrays, baseChannels: base, scaling: .byte, path: url.path),
                          metadata: Metadata(baseChannels: base, scaling: .byte, style: url.lastPathComponent,
                                             training: ["imported from": "pytorch/examples fast_neural_style"]))
    }

    private static func network(from arrays: [String: WeightArray], baseChannels: Int, scaling: TransformerNet.Scaling,
                                path: String) throws -> TransformerNet {
        let expected = TransformerNet.parameterShapes(baseChannels: baseChannels)
        if let extra = Set(arrays.keys).subtracting(expected.map { $0.name }).sorted().first {
            throw WeightFileError.unrecognised(path: path, reason: "\(extra) is not a TransformerNet parameter")
        }
        var parameters: [String: Tensor] = [:]
        for (name, shape) in expected {
            guard let array = arrays[name] else { throw WeightFileError.missingTensor(path: path, name: name) }
            guard array.count == shape.count, let values = array.floats else {
                throw WeightFileError.wrongShape(path: path, name: name, expected: shape.dims, found: array.shape)
            }
            parameters[name] = Tensor(shape: shape, scalars: values)
        }
        do {
            return try TransformerNet(parameters: parameters, baseChannels: baseChannels, scaling: scaling)
        } catch let error as TransformerNetError {
            throw WeightFileError.unrecognised(path: path, reason: error.description)
        }
    }
}
