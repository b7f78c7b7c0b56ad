import Foundation
import ImpastoCore
import Testing
import _TestSupport

/// One op under gradient test: the tape op, its Double reference and the inputs to check at.
struct GradientCase: CustomTestStringConvertible, Sendable {
    var name: String
    var inputs: @Sendable () -> [Tensor]
    var op: @Sendable ([Tensor]) -> Tensor
    var reference: @Sendable ([ReferenceTensor]) -> ReferenceTensor

    var testDescription: String { name }

    static func scalar(_ value: Double) -> ReferenceTensor { ReferenceTensor(shape: .scalar, values: [value]) }

    static let all: [GradientCase] = [
        GradientCase(name: "conv2d 3×3 stride 1 pad 1 with bias, odd non-square",
                     inputs: { [randomTensor(Shape(2, 3, 5, 7), seed: 1), randomTensor(Shape(4, 3, 3, 3), seed: 2),
                                randomTensor(Shape(1, 4, 1, 1), seed: 3)] },
                     op: { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 1) },
                     reference: { ReferenceOps.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 1) }),
        GradientCase(name: "conv2d 3×3 stride 2 no padding, C=1",
                     inputs: { [randomTensor(Shape(1, 1, 7, 6), seed: 4), randomTensor(Shape(2, 1, 3, 3), seed: 5)] },
                     op: { conv2d($0[0], weight: $0[1], stride: 2, padding: 0) },
                     reference: { ReferenceOps.conv2d($0[0], weight: $0[1], bias: nil, stride: 2, padding: 0) }),
        GradientCase(name: "conv2d 5×5 stride 2 pad 2 with bias, 16 channels",
                     inputs: { [randomTensor(Shape(1, 16, 6, 5), seed: 6), randomTensor(Shape(8, 16, 5, 5), seed: 7),
                                randomTensor(Shape(1, 8, 1, 1), seed: 8)] },
                     op: { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2) },
                     reference: { ReferenceOps.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2) }),
        GradientCase(name: "depthwise conv2d 3×3 stride 2, TensorFlow SAME padding (0 before, 1 after), 5 channels",
                     inputs: { [randomTensor(Shape(1, 5, 7, 6), seed: 31), randomTensor(Shape(5, 1, 3, 3), seed: 32),
                                randomTensor(Shape(1, 5, 1, 1), seed: 33)] },
                     op: { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 0, paddingAfter: 1, groups: 5) },
                     reference: { ReferenceOps.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 0,
                                                      paddingAfter: 1, groups: 5) }),
        GradientCase(name: "grouped conv2d 3×3 stride 1 pad 1, 2 groups of 8→6 channels",
                     inputs: { [randomTensor(Shape(1, 16, 5, 4), seed: 34), randomTensor(Shape(12, 8, 3, 3), seed: 35)] },
                     op: { conv2d($0[0], weight: $0[1], stride: 1, padding: 1, groups: 2) },
                     reference: { ReferenceOps.conv2d($0[0], weight: $0[1], bias: nil, stride: 1, padding: 1, groups: 2) }),
        GradientCase(name: "conv2d 3×3 stride 1, 16→24 channels (Winograd)",
                     inputs: { [randomTensor(Shape(1, 16, 6, 7), seed: 27), randomTensor(Shape(24, 16, 3, 3), seed: 28),
                                randomTensor(Shape(1, 24, 1, 1), seed: 29)] },
                     op: { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 1) },
                     reference: { ReferenceOps.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 1) }),
        GradientCase(name: "conv2d by 2×2 output phases, 5×5 to 3 channels with bias, batch 2",
                     inputs: { [randomTensor(Shape(2, 4, 8, 10), seed: 53), randomTensor(Shape(3, 4, 5, 5), seed: 54),
                                randomTensor(Shape(1, 3, 1, 1), seed: 55)] },
                     op: { conv2dByOutputPhases($0[0], weight: $0[1], bias: $0[2]) },
                     reference: { ReferenceOps.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 0) }),
        GradientCase(name: "conv2d with fused ReLU",
                     inputs: { [randomTensor(Shape(1, 3, 5, 6), seed: 24), randomTensor(Shape(16, 3, 3, 3), seed: 25),
                                randomTensor(Shape(1, 16, 1, 1), seed: 26)] },
                     op: { conv2dReLU($0[0], weight: $0[1], bias: $0[2], padding: 1) },
                     reference: { ReferenceOps.relu(ReferenceOps.conv2d($0[0], weight: $0[1], bias: $0[2], stride: 1,
                                                                        padding: 1)) }),
        GradientCase(name: "clip to −0.3…0.4, blocked layout (after a convolution), 20 channels",
                     inputs: { [randomTensor(Shape(1, 3, 5, 4), seed: 36), randomTensor(Shape(20, 3, 3, 3), seed: 37)] },
                     op: { conv2d($0[0], weight: $0[1], padding: 1).clipped(to: -0.3...0.4) },
                     reference: { ReferenceOps.clipped(ReferenceOps.conv2d($0[0], weight: $0[1], bias: nil, stride: 1,
                                                                            padding: 1), to: -0.3...0.4) }),
        GradientCase(name: "relu",
                     inputs: { [randomTensor(Shape(1, 3, 4, 5), seed: 9)] },
                     op: { $0[0].relu() }, reference: { ReferenceOps.relu($0[0]) }),
        GradientCase(name: "max pool 2×2, odd sizes",
                     inputs: { [randomTensor(Shape(2, 3, 5, 7), seed: 10)] },
                     op: { $0[0].pooled(.max) }, reference: { ReferenceOps.pooled($0[0], .max) }),
        GradientCase(name: "average pool 2×2, odd sizes",
                     inputs: { [randomTensor(Shape(1, 2, 7, 4), seed: 11)] },
                     op: { $0[0].pooled(.average) }, reference: { ReferenceOps.pooled($0[0], .average) }),
        GradientCase(name: "max pool after conv (blocked layout)",
                     inputs: { [randomTensor(Shape(1, 3, 6, 7), seed: 12), randomTensor(Shape(16, 3, 3, 3), seed: 13)] },
                     op: { conv2d($0[0], weight: $0[1], padding: 1).relu().pooled(.max) },
                     reference: { ReferenceOps.pooled(ReferenceOps.relu(
                         ReferenceOps.conv2d($0[0], weight: $0[1], bias: nil, stride: 1, padding: 1)), .max) }),
        GradientCase(name: "gram matrix, batch 2",
                     inputs: { [randomTensor(Shape(2, 3, 4, 5), seed: 14)] },
                     op: { gramMatrix($0[0], divisor: 20) }, reference: { ReferenceOps.gramMatrix($0[0], divisor: 20) }),
        GradientCase(name: "mean squared error",
                     inputs: { [randomTensor(Shape(1, 3, 4, 5), seed: 15), randomTensor(Shape(1, 3, 4, 5), seed: 16)] },
                     op: { meanSquaredError($0[0], $0[1]) },
                     reference: { scalar(ReferenceOps.meanSquaredError($0[0], $0[1])) }),
        GradientCase(name: "total variation",
                     inputs: { [randomTensor(Shape(1, 3, 5, 6), in: 0...1, seed: 17)] },
                     op: { totalVariation($0[0]) }, reference: { scalar(ReferenceOps.totalVariation($0[0])) }),
        GradientCase(name: "add",
                     inputs: { [randomTensor(Shape(1, 2, 3, 4), seed: 18), randomTensor(Shape(1, 2, 3, 4), seed: 19)] },
                     op: { $0[0] + $0[1] },
                     reference: { ReferenceTensor(shape: $0[0].shape, values: zip($0[0].values, $0[1].values).map(+)) }),
        GradientCase(name: "scale",
                     inputs: { [randomTensor(Shape(1, 2, 3, 4), seed: 20)] },
                     op: { $0[0].scaled(by: -2.5) },
                     reference: { ReferenceTensor(shape: $0[0].shape, values: $0[0].values.map { -2.5 * $0 }) }),
        GradientCase(name: "sum",
                     inputs: { [randomTensor(Shape(2, 2, 3, 3), seed: 21)] },
                     op: { $0[0].sum() }, reference: { scalar($0[0].values.reduce(0, +)) }),
        GradientCase(name: "instance norm with scale and shift, batch 2",
                     inputs: { [randomTensor(Shape(2, 3, 4, 5), seed: 30), randomTensor(Shape(1, 3, 1, 1), seed: 31),
                                randomTensor(Shape(1, 3, 1, 1), seed: 32)] },
                     op: { instanceNorm($0[0], scale: $0[1], shift: $0[2]) },
                     reference: { ReferenceOps.instanceNorm($0[0], scale: $0[1], shift: $0[2]) }),
        GradientCase(name: "instance norm after a conv (blocked layout in)",
                     inputs: { [randomTensor(Shape(1, 3, 5, 4), seed: 33), randomTensor(Shape(16, 3, 3, 3), seed: 34),
                                randomTensor(Shape(1, 16, 1, 1), seed: 35), randomTensor(Shape(1, 16, 1, 1), seed: 36)] },
                     op: { instanceNorm(conv2d($0[0], weight: $0[1], padding: 1), scale: $0[2], shift: $0[3]) },
                     reference: { ReferenceOps.instanceNorm(ReferenceOps.conv2d($0[0], weight: $0[1], bias: nil, stride: 1,
                                                                                padding: 1), scale: $0[2], shift: $0[3]) }),
        GradientCase(name: "reflection pad 2, non-square",
                     inputs: { [randomTensor(Shape(1, 2, 4, 5), seed: 37)] },
                     op: { reflectionPadded($0[0], by: 2) }, reference: { ReferenceOps.reflectionPadded($0[0], by: 2) }),
        GradientCase(name: "nearest 2× upsampling",
                     inputs: { [randomTensor(Shape(2, 2, 3, 4), seed: 38)] },
                     op: { upsampledNearest2x($0[0]) }, reference: { ReferenceOps.upsampledNearest2x($0[0]) }),
        GradientCase(name: "instance norm + fused relu in nChw16c, 20 channels (padding lanes), batch 2",
                     inputs: { [randomTensor(Shape(2, 20, 3, 5), seed: 45), randomTensor(Shape(1, 20, 1, 1), seed: 46),
                                randomTensor(Shape(1, 20, 1, 1), seed: 47)] },
                     op: { instanceNorm($0[0].laidOut(as: .nChw16c), scale: $0[1], shift: $0[2], relu: true) },
                     reference: { ReferenceOps.relu(ReferenceOps.instanceNorm($0[0], scale: $0[1], shift: $0[2])) }),
        GradientCase(name: "instance norm in nChw8c, odd plane size",
                     inputs: { [randomTensor(Shape(1, 8, 3, 3), seed: 48), randomTensor(Shape(1, 8, 1, 1), seed: 49),
                                randomTensor(Shape(1, 8, 1, 1), seed: 50)] },
                     op: { instanceNorm($0[0].laidOut(as: .nChw8c), scale: $0[1], shift: $0[2]) },
                     reference: { ReferenceOps.instanceNorm($0[0], scale: $0[1], shift: $0[2]) }),
        GradientCase(name: "reflection pad 2 in nChw16c, 20 channels",
                     inputs: { [randomTensor(Shape(1, 20, 4, 5), seed: 51)] },
                     op: { reflectionPadded($0[0].laidOut(as: .nChw16c), by: 2) },
                     reference: { ReferenceOps.reflectionPadded($0[0], by: 2) }),
        GradientCase(name: "nearest 2× upsampling in nChw8c, 5 channels",
                     inputs: { [randomTensor(Shape(2, 5, 3, 2), seed: 52)] },
                     op: { upsampledNearest2x($0[0].laidOut(as: .nChw8c)) },
                     reference: { ReferenceOps.upsampledNearest2x($0[0]) }),
        GradientCase(name: "sigmoid",
                     inputs: { [randomTensor(Shape(1, 3, 4, 5), in: -4...4, seed: 39)] },
                     op: { $0[0].sigmoid() },
                     reference: { ReferenceTensor(shape: $0[0].shape, values: $0[0].values.map { 1 / (1 + exp(-$0)) }) }),
        GradientCase(name: "tanh",
                     inputs: { [randomTensor(Shape(1, 3, 4, 5), in: -3...3, seed: 40)] },
                     op: { $0[0].tanh() },
                     reference: { ReferenceTensor(shape: $0[0].shape, values: $0[0].values.map { Foundation.tanh($0) }) }),
        GradientCase(name: "residual block: x + conv(reflection pad(relu(instance norm(x))))",
                     inputs: { [randomTensor(Shape(1, 4, 5, 5), seed: 41), randomTensor(Shape(1, 4, 1, 1), seed: 42),
                                randomTensor(Shape(1, 4, 1, 1), seed: 43), randomTensor(Shape(4, 4, 3, 3), seed: 44)] },
                     op: { $0[0] + conv2d(reflectionPadded(instanceNorm($0[0], scale: $0[1], shift: $0[2]).relu(), by: 1),
                                          weight: $0[3]) },
                     reference: { inputs in
                         let branch = ReferenceOps.conv2d(ReferenceOps.reflectionPadded(ReferenceOps.relu(
                             ReferenceOps.instanceNorm(inputs[0], scale: inputs[1], shift: inputs[2])), by: 1),
                             weight: inputs[3], bias: nil, stride: 1, padding: 0)
                         return ReferenceTensor(shape: branch.shape, values: zip(inputs[0].values, branch.values).map(+))
                     }),
        GradientCase(name: "reorder to a blocked layout and back",
                     inputs: { [randomTensor(Shape(1, 3, 3, 4), seed: 22)] },
                     op: { $0[0].laidOut(as: .nChw8c).scaled(by: 3).laidOut(as: .nchw) },
                     reference: { ReferenceTensor(shape: $0[0].shape, values: $0[0].values.map { 3 * $0 }) }),
    ]
}

@Suite("Gradients against central finite differences in Double")
struct GradientTests {
    @Test(arguments: GradientCase.all)
    func tapeGradientMatchesFiniteDifferences(_ testCase: GradientCase) {
        let mismatches = gradientMismatches(of: testCase.op, reference: testCase.reference, at: testCase.inputs())
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.first.map(String.init(describing:)) ?? "")")
    }

    @Test("The checker catches a pullback broken on purpose")
    func checkerCatchesBrokenPullback() {
        // ReLU whose pullback forgets to zero the gradient where the input was negative.
        let brokenReLU: @Sendable ([Tensor]) -> Tensor = { inputs in
            Tape.record("broken relu", inputs: inputs, output: inputs[0].detached().relu()) { dy, _ in [dy] }
        }
        let mismatches = gradientMismatches(of: brokenReLU, reference: { ReferenceOps.relu($0[0]) },
                                            at: [randomTensor(Shape(1, 2, 3, 3), seed: 23)])
        #expect(!mismatches.isEmpty)
    }
}

/// The ops of the temporal training loss: bilinear resampling at a known grid and the masked
/// mean squared error, against plain Double loops.
extension GradientCase {
    /// A grid for `images` images of `height × width` outputs, with positions scattered over
    /// and past the edges of a `inputHeight × inputWidth` input (so clamping is exercised).
    static func scatteredGrid(images: Int, height: Int, width: Int, inputHeight: Int, inputWidth: Int,
                              seed: UInt64) -> SamplingGrid {
        var generator = SeededGenerator(seed: seed)
        let positions = (0..<(images * height * width)).flatMap { _ in
            [Float.random(in: -1.5...(Float(inputWidth) + 0.5), using: &generator),
             Float.random(in: -1.5...(Float(inputHeight) + 0.5), using: &generator)]
        }
        return SamplingGrid(images: images, height: height, width: width, positions: positions)
    }

    static func referenceResampled(_ x: ReferenceTensor, at grid: SamplingGrid) -> ReferenceTensor {
        var output = ReferenceTensor(zeros: Shape(x.shape.n, x.shape.c, grid.height, grid.width))
        for n in 0..<x.shape.n {
            for y in 0..<grid.height {
                for column in 0..<grid.width {
                    let pixel = (n * grid.height + y) * grid.width + column
                    let sx = min(max(Double(grid.positions[2 * pixel]), 0), Double(x.shape.w - 1))
                    let sy = min(max(Double(grid.positions[2 * pixel + 1]), 0), Double(x.shape.h - 1))
                    let (x0, y0) = (Int(sx), Int(sy))
                    let (x1, y1) = (min(x0 + 1, x.shape.w - 1), min(y0 + 1, x.shape.h - 1))
                    let (fx, fy) = (sx - Double(x0), sy - Double(y0))
                    for c in 0..<x.shape.c {
                        output[n, c, y, column] = (1 - fy) * ((1 - fx) * x[n, c, y0, x0] + fx * x[n, c, y0, x1])
                            + fy * ((1 - fx) * x[n, c, y1, x0] + fx * x[n, c, y1, x1])
                    }
                }
            }
        }
        return output
    }

    static func referenceMaskedMeanSquaredError(_ a: ReferenceTensor, _ b: ReferenceTensor, mask: [Float]) -> Double {
        var (total, count) = (0.0, 0.0)
        for n in 0..<a.shape.n {
            for c in 0..<a.shape.c {
                for y in 0..<a.shape.h {
                    for x in 0..<a.shape.w {
                        let weight = Double(mask[(n * a.shape.h + y) * a.shape.w + x])
                        total += weight * (a[n, c, y, x] - b[n, c, y, x]) * (a[n, c, y, x] - b[n, c, y, x])
                        count += weight
                    }
                }
            }
        }
        return total / count
    }

    static let temporalTraining: [GradientCase] = {
        let grid = scatteredGrid(images: 2, height: 4, width: 6, inputHeight: 5, inputWidth: 7, seed: 61)
        let mask = grid.insideMask(inputHeight: 5, inputWidth: 7)
        return [
            GradientCase(name: "bilinear resampling at scattered positions, some past the edges, batch 2",
                         inputs: { [randomTensor(Shape(2, 3, 5, 7), seed: 60)] },
                         op: { bilinearlyResampled($0[0], at: grid) },
                         reference: { referenceResampled($0[0], at: grid) }),
            GradientCase(name: "bilinear resampling after a convolution (blocked layout in), 20 channels",
                         inputs: { [randomTensor(Shape(2, 3, 5, 7), seed: 62), randomTensor(Shape(20, 3, 3, 3), seed: 63)] },
                         op: { bilinearlyResampled(conv2d($0[0], weight: $0[1], padding: 1), at: grid) },
                         reference: { referenceResampled(ReferenceOps.conv2d($0[0], weight: $0[1], bias: nil, stride: 1,
                                                                              padding: 1), at: grid) }),
            GradientCase(name: "masked mean squared error, the mask of a grid",
                         inputs: { [randomTensor(Shape(2, 3, 4, 6), seed: 64), randomTensor(Shape(2, 3, 4, 6), seed: 65)] },
                         op: { maskedMeanSquaredError($0[0], $0[1], mask: mask) },
                         reference: { scalar(referenceMaskedMeanSquaredError($0[0], $0[1], mask: mask.scalars)) }),
            GradientCase(name: "masked mean squared error of a resampled image against another",
                         inputs: { [randomTensor(Shape(2, 3, 5, 7), seed: 66), randomTensor(Shape(2, 3, 4, 6), seed: 67)] },
                         op: { maskedMeanSquaredError(bilinearlyResampled($0[0], at: grid), $0[1], mask: mask) },
                         reference: { scalar(referenceMaskedMeanSquaredError(referenceResampled($0[0], at: grid), $0[1],
                                                                             mask: mask.scalars)) }),
        ]
    }()
}

@Suite("Gradients of the temporal-training ops against central finite differences in Double")
struct TemporalTrainingGradientTests {
    @Test(arguments: GradientCase.temporalTraining)
    func tapeGradientMatchesFiniteDifferences(_ testCase: GradientCase) {
        let mismatches = gradientMismatches(of: testCase.op, reference: testCase.reference, at: testCase.inputs())
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.first.map(String.init(describing:)) ?? "")")
    }
}
