/// An ONNX model as Impasto reads it: the graph's nodes in file order, its initializers with
/// int8/uint8/int32 `DequantizeLinear` of initializers already folded to Float32, and its inputs
/// and outputs with their shapes.
public struct ONNXModel: Sendable {
    public var irVersion: Int64
    /// Operator-set versions by domain ("" is the default ai.onnx domain).
    public var opsets: [String: Int64]
    public var producer: String
    public var graph: ONNXGraph
}

public struct ONNXGraph: Sendable {
    public var name: String
    /// The nodes in file order (ONNX requires topological order).
    public var nodes: [ONNXNode]
    public var initializers: [String: ONNXTensor]
    /// The graph inputs that are not initializers: what a caller feeds.
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]
    /// How many `DequantizeLinear` nodes of constant weights were folded into Float32 initializers.
    public var foldedDequantizations: Int

    /// The `QuantizeLinear`/`DequantizeLinear` nodes left, which act on activations (fake quantisation).
    public var activationQuantizationNodes: Int {
        nodes.count(where: { $0.opType == "QuantizeLinear" || $0.opType == "DequantizeLinear" })
    }

    /// How many nodes of each operator type the graph has.
    public var operatorCounts: [String: Int] {
        nodes.reduce(into: [:]) { $0[$1.opType, default: 0] += 1 }
    }
}

public struct ONNXNode: Sendable, Equatable {
    public var name: String
    public var opType: String
    public var domain: String
    /// Input names; an empty name marks an omitted optional input.
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: ONNXAttribute]
}

/// The attribute types the style networks use; other types are refused when read.
public enum ONNXAttribute: Sendable, Equatable {
    case float(Float)
    case int(Int64)
    case string(String)
    case tensor(ONNXTensor)
    case floats([Float])
    case ints([Int64])
}

/// A constant tensor in row-major order.
public struct ONNXTensor: Sendable, Equatable {
    /// The element types the style networks use (ONNX `TensorProto.DataType` codes).
    public enum Values: Sendable, Equatable {
        case float32([Float])
        case uint8([UInt8])
        case int8([Int8])
        case int32([Int32])
        case int64([Int64])
    }

    public var name: String
    public var dims: [Int]
    public var values: Values

    public init(name: String, dims: [Int], values: Values) {
        self.name = name
        self.dims = dims
        self.values = values
    }

    public var floats: [Float]? {
        if case .float32(let values) = values { return values }
        return nil
    }
}

/// A graph input or output: its name, element type code and dimensions.
public struct ONNXValueInfo: Sendable, Equatable {
    public enum Dimension: Sendable, Equatable {
        case fixed(Int64)
        /// A symbolic size such as "h", set by the caller at run time.
        case named(String)
        case unknown
    }

    public var name: String
    public var elementType: Int
    /// nil when the file gives no shape (unknown rank).
    public var dims: [Dimension]?

    public init(name: String, elementType: Int, dims: [Dimension]?) {
        self.name = name
        self.elementType = elementType
        self.dims = dims
    }
}
