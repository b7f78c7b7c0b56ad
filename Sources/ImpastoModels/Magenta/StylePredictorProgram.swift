import ImpastoCore

/// The style predictor's graph as a list of Impasto operations, checked when it is built.
///
/// Activations are Float32 throughout, in the layout oneDNN picks. A `QuantizeLinear` is
/// `fakeQuantized` on its grid, and the `DequantizeLinear` that reads it back (possibly through a
/// Transpose or Reshape, which do not change int8 values) is then the identity, provided it uses
/// the same grid: that is checked. The one Transpose turns the file's NHWC input into NCHW, which
/// is how Impasto's images already are; the Reshapes only move a 1×1 spatial map's channels.
struct StylePredictorProgram: Sendable {
    enum Operation: Sendable {
        case quantize(Int8Grid)
        case convolution(weight: Tensor, bias: Tensor, stride: Int, padding: Int, paddingAfter: Int, groups: Int)
        case clip(lower: Float, upper: Float)
        case add(other: String)
        case globalAveragePool
        /// A reshape of a 1×1 map: its channels are the same numbers in the same order.
        case channelsOfOnePixel
        /// Dequantisation of a value already on its grid, or the NHWC → NCHW transpose.
        case identity
    }

    struct Step: Sendable {
        var operation: Operation
        var input: String
        var output: String
    }

    let input: String
    let output: String
    let steps: [Step]

    init(graph: ONNXGraph, file: String) throws {
        guard graph.inputs.count == 1, graph.outputs.count == 1 else {
            throw ONNXError(file: file, location: "graph", problem: .invalidValue("the style predictor has one input and one output"))
        }
        input = graph.inputs[0].name
        output = graph.outputs[0].name
        var builder = StylePredictorProgramBuilder(graph: graph, file: file)
        for (index, node) in graph.nodes.enumerated() {
            try builder.add(node, index: index)
        }
        steps = builder.steps
    }

    /// The style vector for `image` (`1 × 3 × 256 × 256`), as a `1 × 100 × 1 × 1` tensor.
    func run(_ image: Tensor) -> Tensor {
        var values = [input: image]
        for step in steps {
            let x = values[step.input]!
            values[step.output] = switch step.operation {
            case .quantize(let grid): x.fakeQuantized(grid)
            case .convolution(let weight, let bias, let stride, let padding, let paddingAfter, let groups):
                conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, paddingAfter: paddingAfter,
                       groups: groups)
            case .clip(let lower, let upper): x.clipped(to: lower...upper)
            case .add(let other): x + values[other]!
            case .globalAveragePool: x.spatialMean()
            case .channelsOfOnePixel:
                { precondition(x.shape.h == 1 && x.shape.w == 1, "a reshape of a map larger than 1×1"); return x }()
            case .identity: x
            }
        }
        return values[output]!
    }
}

private extension Tensor {
    /// The mean over each channel's pixels, `N × C × 1 × 1` (inference only).
    func spatialMean() -> Tensor {
        let plain = laidOut(as: .nchw).scalars
        let pixels = shape.h * shape.w
        let means = stride(from: 0, to: plain.count, by: pixels).map { start in
            plain[start..<(start + pixels)].reduce(0, +) / Float(pixels)
        }
        return Tensor(shape: Shape(shape.n, shape.c, 1, 1), scalars: means)
    }
}
