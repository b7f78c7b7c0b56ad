import ImpastoCore

/// An int8-converted ONNX graph of Magenta's (the style predictor, the arbitrary-style
/// transformer) as a list of Impasto operations, checked when it is built so that running it
/// cannot fail.
///
/// Run node by node rather than rebuilt as a hand-made network: these files are int8 TFLite
/// conversions whose activation quantisations sit between particular ops, and following the
/// graph reproduces them exactly. Activations are Float32 throughout, in the layout oneDNN
/// picks. A `QuantizeLinear` is `fakeQuantized` on its grid, and the `DequantizeLinear` that
/// reads it back (possibly through a Transpose, Reshape, Pad or Resize, which move int8 values
/// without changing them) is then the identity, provided it uses the same grid: that is checked.
/// The files' NHWC inputs and outputs are NCHW here, as Impasto's images are: their transposes
/// are the identity, and a pad of an NHWC input reads its pads in that order.
struct QuantizedGraph: Sendable {
    enum Unary: Sendable {
        case squareRoot, reciprocal
    }

    enum Operation: Sendable {
        case quantize(Int8Grid)
        case convolution(weight: Tensor, bias: Tensor, stride: Int, padding: Int, paddingAfter: Int, groups: Int)
        case clip(lower: Float, upper: Float)
        /// With `other` broadcast over pixels when it is `N × C × 1 × 1`, or over everything when it is one number.
        case binary(BroadcastOperation, other: String)
        case relu, sigmoid
        case unary(Unary)
        case reflectionPad(Int)
        case upsampleNearest2x
        case globalAveragePool
        /// A reshape of a 1×1 map: its channels are the same numbers in the same order.
        case channelsOfOnePixel
        /// Dequantisation of a value already on its grid, a transpose between NHWC and NCHW, a resize by 1.
        case identity
    }

    struct Step: Sendable {
        var operation: Operation
        var input: String
        var output: String
    }

    let inputs: [String]
    let output: String
    let steps: [Step]
    /// The initializers that elementwise operations read, as tensors.
    let constants: [String: Tensor]
    /// For each step, the values no later step reads: dropped as soon as it has run, so that
    /// memory follows the live activations and a quantisation can overwrite its input in place.
    let released: [Set<String>]

    init(graph: ONNXGraph, file: String) throws {
        guard graph.outputs.count == 1 else {
            throw ONNXError(file: file, location: "graph", problem: .invalidValue("expected one output"))
        }
        inputs = graph.inputs.map(\.name)
        output = graph.outputs[0].name
        var builder = QuantizedGraphBuilder(graph: graph, file: file)
        for (index, node) in graph.nodes.enumerated() {
            try builder.add(node, index: index)
        }
        steps = builder.steps
        constants = builder.constants
        released = Self.lastUses(of: builder.steps, keeping: output)
    }

    /// The names each step reads for the last time (`kept` never).
    private static func lastUses(of steps: [Step], keeping kept: String) -> [Set<String>] {
        var last: [String: Int] = [:]
        for (index, step) in steps.enumerated() {
            last[step.input] = index
            if case .binary(_, let other) = step.operation { last[other] = index }
        }
        var released = [Set<String>](repeating: [], count: steps.count)
        for (name, index) in last where name != kept { released[index].insert(name) }
        return released
    }

    /// The output for `feeds` (one tensor per graph input, by name, NCHW).
    func run(_ feeds: [String: Tensor]) -> Tensor {
        var values = constants.merging(feeds) { _, feed in feed }
        for (index, step) in steps.enumerated() {
            if case .quantize(let grid) = step.operation, released[index].contains(step.input) {
                var x = values.removeValue(forKey: step.input)!
                x.fakeQuantize(grid)
                values[step.output] = x
                continue
            }
            let x = values[step.input]!
            values[step.output] = switch step.operation {
            case .quantize(let grid): x.fakeQuantized(grid)
            case .convolution(let weight, let bias, let stride, let padding, let paddingAfter, let groups):
                conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, paddingAfter: paddingAfter,
                       groups: groups)
            case .clip(let lower, let upper): x.clipped(to: lower...upper)
            case .binary(let operation, let other): x.broadcasting(operation, values[other]!)
            case .relu: x.relu()
            case .sigmoid: x.sigmoid()
            case .unary(let operation): x.mapped(operation)
            case .reflectionPad(let padding): reflectionPadded(x, by: padding)
            case .upsampleNearest2x: upsampledNearest2x(x)
            case .globalAveragePool: x.spatialMean()
            case .channelsOfOnePixel:
                { precondition(x.shape.h == 1 && x.shape.w == 1, "a reshape of a map larger than 1×1"); return x }()
            case .identity: x
            }
            for name in released[index] where name != step.output { values[name] = nil }
        }
        return values[output]!
    }
}
