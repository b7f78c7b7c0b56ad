extension ONNXReader {
    /// Replaces each `DequantizeLinear` whose quantised input is an initializer (int8/uint8 weights,
    /// int32 biases) by a Float32 initializer under the node's output name, `(x - zero_point) *
    /// scale` per tensor or per `axis`, computed as onnxruntime does (integer difference, then one
    /// Float32 multiply) so results match it bit for bit. Activation Q/DQ nodes stay in the list.
    /// Initializers no node uses any more are dropped.
    func foldingConstantDequantization(_ graph: ONNXGraph) throws -> ONNXGraph {
        var folded = graph
        folded.nodes = []
        for (index, node) in graph.nodes.enumerated() {
            guard node.opType == "DequantizeLinear", let input = node.inputs.first,
                  let quantised = graph.initializers[input]
            else {
                folded.nodes.append(node)
                continue
            }
            let location = "graph.node[\(index)] '\(node.name)' (DequantizeLinear)"
            let tensor = try dequantized(quantised, by: node, in: graph, at: location)
            guard folded.initializers.updateValue(tensor, forKey: tensor.name) == nil else {
                throw failure(location, .duplicateName(tensor.name))
            }
            folded.foldedDequantizations += 1
        }
        let used = Set(folded.nodes.flatMap(\.inputs) + folded.outputs.map(\.name))
        folded.initializers = folded.initializers.filter { used.contains($0.key) }
        return folded
    }

    private func dequantized(_ quantised: ONNXTensor, by node: ONNXNode, in graph: ONNXGraph, at location: String) throws -> ONNXTensor {
        guard node.inputs.count >= 2, node.outputs.count == 1,
              let scale = graph.initializers[node.inputs[1]]?.floats
        else { throw failure(location, .invalidValue("the scale of a constant must be a float32 initializer")) }
        let zeroPoint = node.inputs.count > 2 && !node.inputs[2].isEmpty ? graph.initializers[node.inputs[2]] : nil
        if node.inputs.count > 2, !node.inputs[2].isEmpty, zeroPoint == nil {
            throw failure(location, .invalidValue("the zero point of a constant must be an initializer"))
        }
        let integers = try integerValues(quantised, at: location)
        let offsets = try zeroPoint.map { try integerValues($0, at: location) } ?? Array(repeating: 0, count: scale.count)
        guard zeroPoint.map({ sameIntegerType($0.values, quantised.values) }) ?? true, offsets.count == scale.count else {
            throw failure(location, .invalidValue("the zero point must match the input's type and the scale's size"))
        }
        let channelOf = try channelIndexer(dims: quantised.dims, channels: scale.count, node: node, at: location)
        let values = integers.indices.map { index in
            let channel = channelOf(index)
            return Float(integers[index] - offsets[channel]) * scale[channel]
        }
        return ONNXTensor(name: node.outputs[0], dims: quantised.dims, values: .float32(values))
    }

    /// Maps an element index to its scale index: 0 for a single scale, else the coordinate along
    /// `axis` (default 1, negative counts from the end), whose size must equal the scale count.
    private func channelIndexer(dims: [Int], channels: Int, node: ONNXNode, at location: String) throws -> (Int) -> Int {
        if channels == 1 { return { _ in 0 } }
        let declared: Int64 = if case .int(let value) = node.attributes["axis"] { value } else { 1 }
        let axis = declared < 0 ? Int(declared) + dims.count : Int(declared)
        guard dims.indices.contains(axis), dims[axis] == channels else {
            throw failure(location, .invalidValue("axis \(declared) of dims \(dims) does not match \(channels) scales"))
        }
        let stride = dims[(axis + 1)...].reduce(1, *)
        return { index in (index / stride) % channels }
    }

    private func integerValues(_ tensor: ONNXTensor, at location: String) throws -> [Int64] {
        switch tensor.values {
        case .int8(let values): values.map(Int64.init)
        case .uint8(let values): values.map(Int64.init)
        case .int32(let values): values.map(Int64.init)
        case .float32, .int64: throw failure(location, .invalidValue("\(tensor.name) is not int8, uint8 or int32"))
        }
    }

    private func sameIntegerType(_ a: ONNXTensor.Values, _ b: ONNXTensor.Values) -> Bool {
        switch (a, b) {
        case (.int8, .int8), (.uint8, .uint8), (.int32, .int32): true
        default: false
        }
    }
}
