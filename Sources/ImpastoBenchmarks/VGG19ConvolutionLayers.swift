import ImpastoCore

/// The 14 convolutions of VGG19 from conv1_1 to conv5_2 (the layers the reference Gatys loss
/// reaches), with the input size each sees after the pools before it (floor division).
public struct BenchmarkLayer: Sendable {
    public var name: String
    public var inputChannels: Int
    public var outputChannels: Int
    public var height: Int
    public var width: Int

    /// Multiply-adds counted twice: `2·H·W·Cin·Cout·9` for a 3×3 same-padded convolution.
    public var flops: Double { 2 * Double(height * width * inputChannels * outputChannels * 9) }

    static func vgg19(height: Int, width: Int) -> [BenchmarkLayer] {
        let blocks: [(channels: Int, count: Int)] = [(64, 2), (128, 2), (256, 4), (512, 4), (512, 2)]
        var layers: [BenchmarkLayer] = []
        var (h, w, inputChannels) = (height, width, 3)
        for (blockIndex, block) in blocks.enumerated() {
            if blockIndex > 0 { (h, w) = (h / 2, w / 2) }
            for index in 0..<block.count {
                layers.append(BenchmarkLayer(name: "conv\(blockIndex + 1)_\(index + 1)", inputChannels: inputChannels,
                                             outputChannels: block.channels, height: h, width: w))
                inputChannels = block.channels
            }
        }
        return layers
    }
}
