import ImpastoCore
import ImpastoModels
import ImpastoStyle
import Testing

/// The built-in 26-style network through `FastStylizer`, as `apply --builtin` runs it.
@Suite("Built-in styles in the one-pass pipeline")
struct BuiltinStylizerTests {
    private static let network: Result<MultiStyleNetwork, any Error> = Result {
        try MultiStyleNetwork.fetched { print($0) }
    }

    /// A smooth test photo, `1 × 3 × height × width`.
    private static func photo(width: Int, height: Int) -> Tensor {
        let count = 3 * width * height
        return Tensor(shape: Shape(1, 3, height, width),
                      scalars: (0..<count).map { Float(($0 * 37) % 101) / 100 })
    }

    /// The network returns sides rounded up to multiples of 4; the stylizer returns the photo's
    /// size, the network's top-left pixels.
    @Test func keepsThePhotosSizeByCroppingTheNetworksOutput() throws {
        let network = try Self.network.get()
        let photo = Self.photo(width: 50, height: 38)
        let blend = try StyleBlend(parsing: "3:0.5,12:0.5")
        let full = network(photo, blend: blend).laidOut(as: .nchw)
        #expect(full.shape == Shape(1, 3, 40, 52))
        let styled = try FastStylizer(network: .builtin(network, blend)).stylize(photo)
        #expect(styled.shape == photo.shape)
        let (values, fullValues) = (styled.scalars, full.scalars)
        for (channel, y, x) in [(0, 0, 0), (1, 37, 49), (2, 20, 31)] {
            #expect(values[(channel * 38 + y) * 50 + x] == fullValues[(channel * 40 + y) * 52 + x])
        }
    }

    @Test func takesPhotosSmallerThanTheNetworksMinimum() throws {
        let photo = Self.photo(width: 3, height: 2)
        let styled = try FastStylizer(network: .builtin(try Self.network.get(), try .single(0))).stylize(photo)
        #expect(styled.shape == photo.shape)
        #expect(styled.scalars.allSatisfy { (0...1).contains($0) })
    }

    @Test func strengthZeroIsThePhoto() throws {
        let photo = Self.photo(width: 20, height: 16)
        let styled = try FastStylizer(network: .builtin(try Self.network.get(), try .single(7)), strength: 0).stylize(photo)
        #expect(styled.scalars == photo.scalars)
    }

    /// A grey photo has no chroma, so with its colours kept the result is grey too.
    @Test func luminancePreservationKeepsThePhotosColours() throws {
        let (width, height) = (20, 16)
        let levels = (0..<(width * height)).map { Float(($0 * 13) % 29) / 28 }
        let photo = Tensor(shape: Shape(1, 3, height, width), scalars: levels + levels + levels)
        let network = try Self.network.get()
        let plain = try FastStylizer(network: .builtin(network, try .single(7))).stylize(photo).scalars
        let kept = try FastStylizer(network: .builtin(network, try .single(7)), colorPreservation: .luminance)
            .stylize(photo).scalars
        let plane = width * height
        func greyness(_ values: [Float]) -> Float {
            (0..<plane).map { max(abs(values[$0] - values[plane + $0]), abs(values[$0] - values[2 * plane + $0])) }.max()!
        }
        #expect(greyness(plain) > 0.05)
        #expect(greyness(kept) < 1e-5)
    }
}
