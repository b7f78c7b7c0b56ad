import Foundation
import ImpastoCore

extension MultiStyleNetwork {
    /// The network in the store's verified `multistyle26.onnx`, fetched first if missing or
    /// corrupt (`announce` hears one line before any download).
    public static func fetched(from store: ArtefactStore = ArtefactStore(),
                               announce: (String) -> Void) throws -> MultiStyleNetwork {
        let path = try store.ensure([.multistyle26], announce: announce)[0]
        return try load(contentsOf: path)
    }

    /// The network in an ONNX file shaped like `multistyle26.onnx`.
    public static func load(contentsOf url: URL) throws -> MultiStyleNetwork {
        try MultiStyleNetwork(onnx: try ONNXModel.read(contentsOf: url), path: url.path)
    }

    /// Built from the model's initializers by name: `NAME.w` (`Cout × Cin × K × K`),
    /// `NAME.norm.gamma` and `NAME.norm.beta` (`26 × Cout`) for every layer of `layerShapes`,
    /// all float32. A file with any of them missing or misshapen, or with initializers the network
    /// does not use, is refused (`path` names it in the error): the graph's other nodes only
    /// compute pad amounts and the norm arithmetic, which this type does itself.
    public init(onnx model: ONNXModel, path: String) throws {
        let initializers = model.graph.initializers
        func floats(_ name: String, dims: [Int]) throws -> [Float] {
            guard let tensor = initializers[name] else { throw MultiStyleNetworkError.missing(path: path, name: name) }
            guard tensor.dims == dims else {
                throw MultiStyleNetworkError.wrongShape(path: path, name: name, expected: dims, found: tensor.dims)
            }
            guard let values = tensor.floats else { throw MultiStyleNetworkError.notFloat(path: path, name: name) }
            return values
        }
        var layers: [String: Layer] = [:]
        for shape in Self.layerShapes {
            let weight = try floats("\(shape.name).w", dims: [shape.outputs, shape.inputs, shape.kernel, shape.kernel])
            let norm = ConditionalInstanceNorm(
                channels: shape.outputs,
                gamma: try floats("\(shape.name).norm.gamma", dims: [Self.styleCount, shape.outputs]),
                beta: try floats("\(shape.name).norm.beta", dims: [Self.styleCount, shape.outputs]))
            let weightShape = Shape(shape.outputs, shape.inputs, shape.kernel, shape.kernel)
            layers[shape.name] = Layer(weight: Tensor(shape: weightShape, scalars: weight), norm: norm)
        }
        let used = Set(Self.layerShapes.flatMap { ["\($0.name).w", "\($0.name).norm.gamma", "\($0.name).norm.beta"] })
        if let extra = Set(initializers.keys).subtracting(used).sorted().first {
            throw MultiStyleNetworkError.unexpected(path: path, name: extra)
        }
        self.init(layers: layers)
    }
}

/// Why an ONNX file is not the 26-style network; each names the file and the initializer.
public enum MultiStyleNetworkError: Error, CustomStringConvertible, Equatable {
    case missing(path: String, name: String)
    case wrongShape(path: String, name: String, expected: [Int], found: [Int])
    case notFloat(path: String, name: String)
    case unexpected(path: String, name: String)

    public var description: String {
        switch self {
        case .missing(let path, let name): "\(path): no initializer \(name); not the 26-style network"
        case .wrongShape(let path, let name, let expected, let found):
            "\(path): initializer \(name) has shape \(found), the 26-style network needs \(expected)"
        case .notFloat(let path, let name): "\(path): initializer \(name) is not float32"
        case .unexpected(let path, let name): "\(path): initializer \(name) is not part of the 26-style network"
        }
    }
}
