import Foundation
import ImpastoStyle
import Testing

@Suite("Pixel pyramid")
struct PixelPyramidTests {
    /// Odd sizes, so every level rounds up and the upsampling crops.
    static let pyramid = PixelPyramid(channels: 3, height: 13, width: 7, levels: 4, decay: 0.7)

    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(sin(Double($0 * 7 + seed) * 0.37)) }
    }

    @Test func theFullSizeLevelAloneIsTheImage() {
        let image = Self.values(3 * 13 * 7, seed: 1)
        let levels = image + [Float](repeating: 0, count: Self.pyramid.count - image.count)
        #expect(Self.pyramid.expanded(levels) == image)
        #expect(Self.pyramid.sizes.map(\.height) == [13, 7, 4, 2])
        #expect(Self.pyramid.sizes.map(\.width) == [7, 4, 2, 1])
    }

    /// The gradient map is the image map's transpose: ⟨P z, g⟩ = ⟨z, Pᵀ g⟩ for any z and g.
    @Test func contractionIsTheTransposeOfExpansion() {
        let pyramid = Self.pyramid
        let z = Self.values(pyramid.count, seed: 2)
        let g = Self.values(3 * 13 * 7, seed: 3)
        let imageSide = zip(pyramid.expanded(z), g).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        let levelSide = zip(z, pyramid.contracted(g)).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        #expect(abs(imageSide - levelSide) <= 1e-5 * abs(imageSide))
    }

    /// A constant at a coarse level reaches the image as the same constant times dᵏ: the tent
    /// upsampling keeps flat areas flat, edges included.
    @Test func aConstantCoarseLevelIsAConstantImage() {
        let pyramid = Self.pyramid
        var z = [Float](repeating: 0, count: pyramid.count)
        let level2Start = 3 * (13 * 7 + 7 * 4)
        for i in level2Start..<(level2Start + 3 * 4 * 2) { z[i] = 2 }
        for value in pyramid.expanded(z) { #expect(abs(value - 2 * 0.49) < 1e-6) }
    }
}
