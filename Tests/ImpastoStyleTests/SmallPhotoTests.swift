import ImpastoCore
import ImpastoModels
import ImpastoStyle
import Testing

/// Photos smaller than a network's padding used to stop `apply` and `video` on a precondition;
/// every one-pass network now mirrors them out and crops the result back.
@Suite("One-pass networks on photos of a few pixels")
struct SmallPhotoTests {
    @Test(arguments: [(1, 1), (3, 2), (4, 4), (5, 9)])
    func aTrainedNetworkKeepsATinyPhotosSize(_ size: (width: Int, height: Int)) throws {
        let model = StyleModel(network: TransformerNet(seed: 3, baseChannels: 8),
                               metadata: .init(baseChannels: 8, scaling: .unit, style: "random"))
        let count = 3 * size.width * size.height
        let photo = Tensor(shape: Shape(1, 3, size.height, size.width), scalars: (0..<count).map { Float($0 % 7) / 6 })
        let styled = try FastStylizer(model: model).stylize(photo)
        #expect(styled.shape == photo.shape)
        #expect(styled.scalars.allSatisfy { $0.isFinite && (0...1).contains($0) })
    }
}
