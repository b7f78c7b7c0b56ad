import ImpastoCore
import Testing
import _TestSupport

@Suite("Bilinear resampling at a known grid")
struct BilinearResamplingTests {
    /// A grid that reads pixel (x + dx, y + dy) for output pixel (x, y), for one image.
    static func shiftGrid(height: Int, width: Int, dx: Float, dy: Float) -> SamplingGrid {
        let positions = (0..<height).flatMap { y in (0..<width).flatMap { x in [Float(x) + dx, Float(y) + dy] } }
        return SamplingGrid(images: 1, height: height, width: width, positions: positions)
    }

    @Test func theIdentityGridReturnsTheImage() {
        let image = randomTensor(Shape(1, 3, 6, 9), seed: 70)
        #expect(bilinearlyResampled(image, at: Self.shiftGrid(height: 6, width: 9, dx: 0, dy: 0)).scalars == image.scalars)
    }

    @Test func aWholePixelShiftMovesPixelsAndRepeatsTheEdge() {
        let image = randomTensor(Shape(1, 2, 4, 5), seed: 71)
        let shifted = bilinearlyResampled(image, at: Self.shiftGrid(height: 4, width: 5, dx: 2, dy: -1)).scalars
        let values = image.scalars
        for c in 0..<2 {
            for y in 0..<4 {
                for x in 0..<5 {
                    let source = (c * 4 + max(y - 1, 0)) * 5 + min(x + 2, 4)
                    #expect(shifted[(c * 4 + y) * 5 + x] == values[source])
                }
            }
        }
    }

    @Test func theMaskExcludesPositionsOutsideTheInput() {
        let mask = Self.shiftGrid(height: 3, width: 4, dx: 1.5, dy: -0.5).insideMask(inputHeight: 3, inputWidth: 4).scalars
        let expected: [Float] = [0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]
        #expect(mask == expected)
    }

    @Test func theMaskedLossIgnoresMaskedPixelsAndIsZeroForAnEmptyMask() {
        let a = Tensor(shape: Shape(1, 1, 1, 2), scalars: [1, 5])
        let b = Tensor(shape: Shape(1, 1, 1, 2), scalars: [3, -7])
        #expect(maskedMeanSquaredError(a, b, mask: Tensor(shape: Shape(1, 1, 1, 2), scalars: [1, 0])).item == 4)
        #expect(maskedMeanSquaredError(a, b, mask: Tensor(zeros: Shape(1, 1, 1, 2))).item == 0)
    }
}
