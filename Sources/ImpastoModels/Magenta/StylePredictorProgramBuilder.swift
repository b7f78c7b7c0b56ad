import ImpastoCore

/// Turns the style predictor's ONNX nodes into `StylePredictorProgram` steps, refusing anything
/// the program could not run exactly, with the node named.
struct StylePredictorProgramBuilder {
    let graph: ONNXGraph
    let file: String
    private(set) var steps: [StylePredictorProgram.Step] = []
    /// The int8 grid each value lies on, set by a QuantizeLinear and kept by Transpose and Reshape.
    private var grids: [String: Int8Grid] = [:]
    /// Values still in the file's NHWC order: the input, until the Transpose to NCHW.
    private var channelsLast: Set<String>

    init(graph: ONNXGraph, file: String) {
        self.graph = graph
        self.file = file
        channelsLast = Set(graph.inputs.map(\.name))
    }

    mutating func add(_ node: ONNXNode, index: Int) throws {
        let location = "graph.node[\(index)] '\(node.name)' (\(node.opType))"
        func refuse(_ reason: String) -> ONNXError {
            ONNXError(file: file, location: location, problem: .invalidValue(reason))
        }
        guard let input = node.inputs.first, let output = node.outputs.first else { throw refuse("has no input or output") }
        if channelsLast.contains(input) && !["QuantizeLinear", "Transpose"].contains(node.opType) {
            throw refuse("reads the NHWC input before it is transposed")
        }
        let operation: StylePredictorProgram.Operation
        switch node.opType {
        case "QuantizeLinear":
            let grid = try self.grid(node, refuse)
            grids[output] = grid
            if channelsLast.contains(input) { channelsLast.insert(output) }
            operation = .quantize(grid)
        case "DequantizeLinear":
            guard grids[input] == (try self.grid(node, refuse)) else { throw refuse("dequantises a value that is not on its grid") }
            operation = .identity
        case "Transpose":
            guard channelsLast.contains(input), node.attributes["perm"] == .ints([0, 3, 1, 2]) else {
                throw refuse("only the input's NHWC → NCHW transpose is supported")
            }
            grids[output] = grids[input]
            operation = .identity
        case "Reshape":
            guard let target = graph.initializers[node.inputs.last ?? ""], case .int64(let dims) = target.values,
                  dims.count(where: { $0 != 1 }) <= 1 else {
                throw refuse("only reshapes between 1×1 maps' channel layouts are supported")
            }
            grids[output] = grids[input]
            operation = .channelsOfOnePixel
        case "Conv": operation = try convolution(node, refuse)
        case "Clip":
            guard let lower = scalar(node.inputs, 1), let upper = scalar(node.inputs, 2), lower <= upper else {
                throw refuse("needs constant bounds")
            }
            operation = .clip(lower: lower, upper: upper)
        case "Add":
            guard node.inputs.count == 2 else { throw refuse("adds two values") }
            operation = .add(other: node.inputs[1])
        case "GlobalAveragePool": operation = .globalAveragePool
        default: throw refuse("not an operator the style predictor uses")
        }
        steps.append(StylePredictorProgram.Step(operation: operation, input: input, output: output))
    }

    /// A per-tensor grid from a Q/DQ node's constant scale and int8 zero point.
    private func grid(_ node: ONNXNode, _ refuse: (String) -> ONNXError) throws -> Int8Grid {
        guard node.inputs.count == 3, let scale = scalar(node.inputs, 1), scale > 0, scale.isFinite,
              let zeroPoint = graph.initializers[node.inputs[2]], case .int8(let points) = zeroPoint.values,
              points.count == 1 else {
            throw refuse("needs a constant per-tensor scale and int8 zero point")
        }
        return Int8Grid(scale: scale, zeroPoint: points[0])
    }

    private func convolution(_ node: ONNXNode, _ refuse: (String) -> ONNXError) throws -> StylePredictorProgram.Operation {
        guard node.inputs.count == 3, let weight = graph.initializers[node.inputs[1]], let weights = weight.floats,
              weight.dims.count == 4, weight.dims[2] == weight.dims[3],
              let bias = graph.initializers[node.inputs[2]]?.floats, bias.count == weight.dims[0] else {
            throw refuse("needs constant square OIHW weights and a bias")
        }
        let strides = integers(node, "strides") ?? [1, 1]
        let pads = integers(node, "pads") ?? [0, 0, 0, 0]
        let groups = node.attributes["group"].flatMap { if case .int(let value) = $0 { Int(value) } else { nil } } ?? 1
        guard strides.count == 2, strides[0] == strides[1], pads.count == 4, pads[0] == pads[1], pads[2] == pads[3],
              (integers(node, "dilations") ?? [1, 1]).allSatisfy({ $0 == 1 }), groups >= 1, weight.dims[0] % groups == 0 else {
            throw refuse("needs equal strides, the same padding on both axes, no dilation and whole groups")
        }
        let shape = Shape(weight.dims[0], weight.dims[1], weight.dims[2], weight.dims[3])
        return .convolution(weight: Tensor(shape: shape, scalars: weights),
                            bias: Tensor(shape: Shape(1, shape.n, 1, 1), scalars: bias),
                            stride: strides[0], padding: pads[0], paddingAfter: pads[2], groups: groups)
    }

    private func integers(_ node: ONNXNode, _ name: String) -> [Int]? {
        if case .ints(let values) = node.attributes[name] { values.map(Int.init) } else { nil }
    }

    /// The one Float32 value of the initializer named by `inputs[index]`.
    private func scalar(_ inputs: [String], _ index: Int) -> Float? {
        guard index < inputs.count, let values = graph.initializers[inputs[index]]?.floats, values.count == 1 else { return nil }
        return values[0]
    }
}
