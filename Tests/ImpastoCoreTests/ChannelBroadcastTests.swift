import ImpastoCore
import Testing
import _TestSupport

/// The quantised graphs' elementwise ops, which run in the convolutions' blocked layouts:
/// each layout must give what a plain NCHW loop gives, and leave a block's padding lanes 0.
@Suite("Channel broadcasting, spatial means and in-place quantisation")
struct ChannelBroadcastTests {
    static let shape = Shape(2, 20, 3, 5)

    /// self ∘ other computed element by element in NCHW order, other broadcast by its shape.
    private func plain(_ x: Tensor, _ other: Tensor, _ operation: (Float, Float) -> Float) -> [Float] {
        let (a, b) = (x.scalars, other.scalars)
        let pixels = x.shape.h * x.shape.w
        return a.indices.map { index in
            let y = other.shape == x.shape ? b[index] : b.count == 1 ? b[0] : b[index / pixels]
            return operation(a[index], y)
        }
    }

    @Test(arguments: [Layout.nchw, .nChw8c, .nChw16c])
    func everyShapeOfOtherMatchesAPlainLoop(_ layout: Layout) {
        let x = randomTensor(Self.shape, in: -3...3, seed: 5).laidOut(as: layout)
        let others = [randomTensor(Self.shape, in: -2...2, seed: 6),
                      randomTensor(Shape(2, 20, 1, 1), in: -2...2, seed: 7),
                      Tensor(shape: Shape(1, 1, 1, 1), scalars: [0.75])]
        for other in others {
            for (operation, function) in [(BroadcastOperation.add, (+) as (Float, Float) -> Float),
                                          (.subtract, (-)), (.multiply, (*))] {
                let result = x.broadcasting(operation, other)
                #expect(result.layout == layout)
                #expect(result.scalars == plain(x, other, function), "\(operation) with \(other.shape) in \(layout)")
                #expect(paddingLanes(of: result).allSatisfy { $0 == 0 }, "\(operation) with \(other.shape) in \(layout)")
            }
        }
    }

    @Test(arguments: [Layout.nchw, .nChw8c, .nChw16c])
    func spatialMeansSumEachChannelInPixelOrder(_ layout: Layout) {
        let x = randomTensor(Self.shape, in: -3...3, seed: 8)
        let values = x.scalars
        let pixels = Self.shape.h * Self.shape.w
        let expected = (0..<(Self.shape.n * Self.shape.c)).map { plane in
            values[(plane * pixels)..<((plane + 1) * pixels)].reduce(0, +) / Float(pixels)
        }
        let means = x.laidOut(as: layout).spatialMean()
        #expect(means.shape == Shape(2, 20, 1, 1))
        #expect(means.scalars == expected)
    }

    @Test func quantisingInPlaceEqualsTheCopyAndLeavesASharedTensorAlone() {
        let grid = Int8Grid(scale: 0.5, zeroPoint: 0)
        let original = Tensor(shape: Shape(1, 1, 1, 6), scalars: [0.25, 0.75, 1.25, -0.75, 100, .nan])
        var copy = original
        copy.fakeQuantize(grid)
        let expected = original.fakeQuantized(grid).scalars
        #expect(copy.scalars.prefix(5) == expected.prefix(5) && copy.scalars.prefix(5) == [0, 1, 1, -1, 63.5])
        #expect(copy.scalars[5].isNaN && expected[5].isNaN)
        #expect(original.scalars.prefix(5) == [0.25, 0.75, 1.25, -0.75, 100])
    }

    /// The stored floats of the last block's lanes past the channel count.
    private func paddingLanes(of tensor: Tensor) -> [Float] {
        let lanes = tensor.layout.channelBlock
        guard Self.shape.c % lanes != 0 else { return [] }
        let blocks = (Self.shape.c + lanes - 1) / lanes
        let pixels = Self.shape.h * Self.shape.w
        return tensor.withUnsafeBufferPointer { stored in
            (0..<Self.shape.n).flatMap { image in
                (0..<pixels).flatMap { pixel in
                    ((Self.shape.c % lanes)..<lanes).map { lane in
                        stored[((image * blocks + blocks - 1) * pixels + pixel) * lanes + lane]
                    }
                }
            }
        }
    }
}
