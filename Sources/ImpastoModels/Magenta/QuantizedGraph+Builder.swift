import ImpastoCore

/// Turns a quantised Magenta graph's ONNX nodes into `QuantizedGraph` steps, refusing anything
/// the program could not run exactly, with the node named.
struct QuantizedGraphBuilder {
    let graph: ONNXGraph
    let file: String
    private(set) var steps: [QuantizedGraph.Step] = []
    private(set) var constants: [String: Tensor] = [:]
    /// The int8 grid each value lies on, set by a QuantizeLinear and kept by the ops that move
    /// int8 values without changing them.
    private var grids: [String: Int8Grid] = [:]
    /// Values in the file's NHWC order (Impasto holds them as NCHW): the inputs until transposed.
    private var channelsLast: Set<String>

    init(graph: ONNXGraph, file: String) {
        self.graph = graph
        self.file = file
        channelsLast = Set(graph.inputs.map(\.name))
    }

    mutating func add(_ node: ONNXNode, index: Int) throws {
        let location = "graph.node[\(index)] '\(node.name)' (\(node.opType))"
        let file = self.file
        let refuse = { (reason: String) in ONNXError(file: file, location: location, problem: .invalidValue(reason)) }
        guard let input = node.inputs.first, let output = node.outputs.first else { throw refuse("has no input or output") }
        let operation = try self.operation(node, input: input, output: output, refuse)
        steps.append(QuantizedGraph.Step(operation: operation, input: input, output: output))
    }

    private mutating func operation(_ node: ONNXNode, input: String, output: String,
                                    _ refuse: (String) -> ONNXError) throws -> QuantizedGraph.Operation {
        // A 1×1 map's reshape reads the same numbers in NHWC and NCHW order, so it may take either.
        if channelsLast.contains(input) && !["QuantizeLinear", "Transpose", "Pad", "DequantizeLinear", "Reshape"].contains(node.opType) {
            throw refuse("computes on a value in NHWC order")
        }
        if ["QuantizeLinear", "Pad", "DequantizeLinear"].contains(node.opType) && channelsLast.contains(input) {
            channelsLast.insert(output)
        }
        switch node.opType {
        case "QuantizeLinear":
            let grid = try self.grid(node, refuse)
            grids[output] = grid
            return .quantize(grid)
        case "DequantizeLinear":
            guard grids[input] == (try self.grid(node, refuse)) else { throw refuse("dequantises a value that is not on its grid") }
            return .identity
        case "Transpose":
            return try transpose(node, input: input, output: output, refuse)
        case "Reshape":
            guard let target = graph.initializers[node.inputs.last ?? ""], case .int64(let dims) = target.values,
                  dims.count(where: { $0 != 1 }) <= 1 else {
                throw refuse("only reshapes between 1×1 maps' channel layouts are supported")
            }
            grids[output] = grids[input]
            return .channelsOfOnePixel
        case "Pad": return try pad(node, input: input, output: output, refuse)
        case "Resize": return try resize(node, input: input, output: output, refuse)
        case "Conv": return try convolution(node, refuse)
        case "Clip":
            guard let lower = scalar(node.inputs, 1), let upper = scalar(node.inputs, 2), lower <= upper else {
                throw refuse("needs constant bounds")
            }
            return .clip(lower: lower, upper: upper)
        case "Add", "Sub", "Mul":
            guard node.inputs.count == 2 else { throw refuse("takes two values") }
            if let constant = graph.initializers[node.inputs[1]] {
                guard let values = constant.floats, values.count == 1 else { throw refuse("a constant operand must be one number") }
                constants[node.inputs[1]] = Tensor(shape: Shape(1, 1, 1, 1), scalars: values)
            }
            let operation: BroadcastOperation = switch node.opType {
            case "Add": .add
            case "Sub": .subtract
            default: .multiply
            }
            return .binary(operation, other: node.inputs[1])
        case "Relu": return .relu
        case "Sigmoid": return .sigmoid
        case "Sqrt": return .unary(.squareRoot)
        case "Reciprocal": return .unary(.reciprocal)
        case "GlobalAveragePool": return .globalAveragePool
        default: throw refuse("not an operator of Magenta's quantised networks")
        }
    }

    /// NHWC → NCHW of an input, or NCHW → NHWC of the output: both the identity on Impasto's NCHW values.
    private mutating func transpose(_ node: ONNXNode, input: String, output: String,
                                    _ refuse: (String) -> ONNXError) throws -> QuantizedGraph.Operation {
        let permutation = node.attributes["perm"]
        if channelsLast.contains(input) && permutation == .ints([0, 3, 1, 2]) {
            channelsLast.remove(output)
        } else if !channelsLast.contains(input) && permutation == .ints([0, 2, 3, 1]) {
            channelsLast.insert(output)
        } else {
            throw refuse("only transposes between NHWC and NCHW are supported")
        }
        grids[output] = grids[input]
        return .identity
    }

    /// Reflection padding of height and width by the same amount on every side.
    private mutating func pad(_ node: ONNXNode, input: String, output: String,
                              _ refuse: (String) -> ONNXError) throws -> QuantizedGraph.Operation {
        guard node.attributes["mode"] == .string("reflect"), node.inputs.count >= 2,
              let constant = graph.initializers[node.inputs[1]], case .int64(let pads) = constant.values, pads.count == 8 else {
            throw refuse("only reflection padding with constant pads is supported")
        }
        // Pads are [begin of each axis, end of each axis]; the spatial axes are 1, 2 in NHWC and 2, 3 in NCHW.
        let spatial = channelsLast.contains(input) ? [1, 2] : [2, 3]
        let amount = pads[spatial[0]]
        let others = pads.indices.filter { !spatial.contains($0 % 4) }
        guard spatial.allSatisfy({ pads[$0] == amount && pads[$0 + 4] == amount }), others.allSatisfy({ pads[$0] == 0 }) else {
            throw refuse("only the same padding on every side of height and width is supported")
        }
        grids[output] = grids[input]
        return .reflectionPad(Int(amount))
    }

    /// Nearest-neighbour resizing by 2 (floor of asymmetric coordinates: each pixel repeated) or by 1.
    private mutating func resize(_ node: ONNXNode, input: String, output: String,
                                 _ refuse: (String) -> ONNXError) throws -> QuantizedGraph.Operation {
        guard node.attributes["mode"] == .string("nearest"), node.inputs.count >= 3,
              node.attributes["coordinate_transformation_mode"] == .string("asymmetric"),
              node.attributes["nearest_mode"] == .string("floor"),
              let scales = graph.initializers[node.inputs[2]]?.floats, scales.count == 4, scales[0] == 1, scales[1] == 1,
              scales[2] == scales[3], [1, 2].contains(scales[2]) else {
            throw refuse("only nearest resizing of height and width by 1 or 2 is supported")
        }
        grids[output] = grids[input]
        return scales[2] == 2 ? .upsampleNearest2x : .identity
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

    private func convolution(_ node: ONNXNode, _ refuse: (String) -> ONNXError) throws -> QuantizedGraph.Operation {
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
