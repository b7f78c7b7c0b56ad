import ImpastoCore
import Testing
import _TestSupport

/// A convolution shape chosen to be awkward for a blocked kernel.
struct ConvolutionCase: CustomTestStringConvertible, Sendable {
    var input: Shape
    var outputChannels: Int
    var kernel: Int
    var stride: Int
    var padding: Int
    var bias: Bool
    var paddingAfter: Int? = nil
    var groups = 1

    var testDescription: String {
        "\(input) → \(outputChannels), \(kernel)×\(kernel) s\(stride) p\(padding)"
            + (paddingAfter.map { "/\($0)" } ?? "") + (groups > 1 ? " g\(groups)" : "") + (bias ? " +bias" : "")
    }

    static let all: [ConvolutionCase] = [
        ConvolutionCase(input: Shape(1, 1, 5, 5), outputChannels: 1, kernel: 3, stride: 1, padding: 1, bias: false),
        ConvolutionCase(input: Shape(1, 3, 9, 13), outputChannels: 64, kernel: 3, stride: 1, padding: 1, bias: true),
        ConvolutionCase(input: Shape(2, 17, 7, 5), outputChannels: 9, kernel: 3, stride: 2, padding: 1, bias: true),
        ConvolutionCase(input: Shape(1, 32, 11, 6), outputChannels: 32, kernel: 3, stride: 2, padding: 0, bias: false),
        ConvolutionCase(input: Shape(1, 3, 12, 10), outputChannels: 8, kernel: 9, stride: 1, padding: 4, bias: true),
        ConvolutionCase(input: Shape(1, 64, 3, 4), outputChannels: 128, kernel: 1, stride: 1, padding: 0, bias: true),
        // Winograd territory: 3×3, stride 1, ≥16 channels, sizes that are not multiples of its 4×4 tiles.
        ConvolutionCase(input: Shape(2, 64, 13, 10), outputChannels: 48, kernel: 3, stride: 1, padding: 1, bias: true),
        ConvolutionCase(input: Shape(1, 128, 5, 3), outputChannels: 128, kernel: 3, stride: 1, padding: 1, bias: false),
        // MobileNet-v2's depthwise layers: stride 1 with symmetric padding, stride 2 with TensorFlow's
        // SAME padding (nothing before, one after), at channel counts off the 8/16 blocks.
        ConvolutionCase(input: Shape(1, 24, 9, 7), outputChannels: 24, kernel: 3, stride: 1, padding: 1, bias: true, groups: 24),
        ConvolutionCase(input: Shape(2, 40, 10, 9), outputChannels: 40, kernel: 3, stride: 2, padding: 0, bias: true,
                        paddingAfter: 1, groups: 40),
        ConvolutionCase(input: Shape(1, 3, 16, 15), outputChannels: 32, kernel: 3, stride: 2, padding: 0, bias: true,
                        paddingAfter: 1),
        ConvolutionCase(input: Shape(1, 12, 6, 5), outputChannels: 18, kernel: 3, stride: 1, padding: 1, bias: false, groups: 3),
    ]
}

@Suite("oneDNN kernels against the naive reference")
struct KernelTests {
    @Test(arguments: ConvolutionCase.all)
    func convolutionMatchesReference(_ c: ConvolutionCase) {
        let x = randomTensor(c.input, seed: 1)
        let weight = randomTensor(Shape(c.outputChannels, c.input.c / c.groups, c.kernel, c.kernel), seed: 2)
        let bias = c.bias ? randomTensor(Shape(1, c.outputChannels, 1, 1), seed: 3) : nil
        let y = conv2d(x, weight: weight, bias: bias, stride: c.stride, padding: c.padding, paddingAfter: c.paddingAfter,
                       groups: c.groups)
        let expected = ReferenceOps.conv2d(ReferenceTensor(x), weight: ReferenceTensor(weight),
                                           bias: bias.map(ReferenceTensor.init), stride: c.stride, padding: c.padding,
                                           paddingAfter: c.paddingAfter, groups: c.groups)
        #expect(y.shape == expected.shape)
        // Error measured against the output's scale: Winograd's worst case is about 7e-6 of the
        // RMS (direct: about 1e-6), and sums of many ±1 terms can land near zero.
        let rms = (expected.values.map { $0 * $0 }.reduce(0, +) / Double(expected.values.count)).squareRoot()
        expectClose(y.scalars.map(Double.init), expected.values, relative: 0, absolute: 2e-5 * rms, "conv2d")
    }

    @Test(arguments: [Pooling.max, .average], [Shape(1, 1, 2, 2), Shape(1, 3, 5, 7), Shape(2, 20, 9, 4)])
    func poolingMatchesReference(_ kind: Pooling, _ shape: Shape) {
        let x = randomTensor(shape, seed: 4)
        let expected = ReferenceOps.pooled(ReferenceTensor(x), kind)
        for layout in [Layout.nchw, .nChw8c, .nChw16c] {
            let y = x.laidOut(as: layout).pooled(kind)
            #expect(y.layout == layout)
            expectClose(y.scalars.map(Double.init), expected.values, relative: 1e-6, absolute: 1e-6, "pool \(layout)")
        }
    }

    @Test func reluMatchesReferenceInEveryLayout() {
        let x = randomTensor(Shape(1, 5, 3, 3), seed: 5)
        let expected = ReferenceOps.relu(ReferenceTensor(x))
        for layout in Layout.allCases {
            expectClose(x.laidOut(as: layout).relu().scalars.map(Double.init), expected.values,
                        relative: 0, absolute: 0, "relu \(layout)")
        }
    }

    @Test func styleNetworkOpsKeepBlockedLayoutsAndTheirPaddingZero() {
        // 20 channels in blocks of 16: the second block's last 12 lanes are padding, which
        // other kernels (sums, losses) read, so it must stay zero even with a shift β ≠ 0.
        let x = randomTensor(Shape(2, 20, 4, 6), seed: 7).laidOut(as: .nChw16c)
        let shift = Tensor(repeating: 0.5, shape: Shape(1, 20, 1, 1))
        let outputs = [instanceNorm(x, scale: randomTensor(Shape(1, 20, 1, 1), seed: 8), shift: shift),
                       reflectionPadded(x, by: 2), upsampledNearest2x(x)]
        for output in outputs {
            #expect(output.layout == .nChw16c)
            let logicalSum = output.scalars.map(Double.init).reduce(0, +)
            #expect(abs(Double(output.sum().item) - logicalSum) < 1e-4 * max(1, abs(logicalSum)))
        }
    }

    @Test(arguments: [Shape(1, 1, 1, 1), Shape(1, 3, 5, 7), Shape(2, 70, 3, 9)])
    func gramMatrixMatchesReference(_ shape: Shape) {
        let x = randomTensor(shape, seed: 6)
        let divisor = Float(shape.h * shape.w)
        let expected = ReferenceOps.gramMatrix(ReferenceTensor(x), divisor: Double(divisor))
        for layout in [Layout.nchw, .nChw16c] {
            let gram = gramMatrix(x.laidOut(as: layout), divisor: divisor)
            #expect(gram.shape == Shape(shape.n, 1, shape.c, shape.c))
            expectClose(gram.scalars.map(Double.init), expected.values, relative: 1e-5, absolute: 1e-6, "gram")
        }
    }

    @Test func lossesMatchReference() {
        let a = randomTensor(Shape(1, 19, 3, 5), seed: 7)
        let b = randomTensor(Shape(1, 19, 3, 5), seed: 8)
        let mse = ReferenceOps.meanSquaredError(ReferenceTensor(a), ReferenceTensor(b))
        // Blocked layouts pad 19 channels to 32 with zeros; the mean must still divide by the logical count.
        #expect(isClose(Double(meanSquaredError(a.laidOut(as: .nChw16c), b).item), mse, relative: 1e-6))
        let image = randomTensor(Shape(1, 3, 6, 9), in: 0...1, seed: 9)
        #expect(isClose(Double(totalVariation(image).item), ReferenceOps.totalVariation(ReferenceTensor(image)),
                        relative: 1e-6))
    }

    @Test func scalarsRoundTripThroughEveryLayout() {
        let x = randomTensor(Shape(2, 11, 3, 4), seed: 10)
        for layout in Layout.allCases {
            #expect(x.laidOut(as: layout).scalars == x.scalars, "\(layout)")
            #expect(x.laidOut(as: layout).sum().item == x.sum().item || isClose(Double(x.laidOut(as: layout).sum().item),
                                                                               Double(x.sum().item), relative: 1e-6))
        }
    }
}
