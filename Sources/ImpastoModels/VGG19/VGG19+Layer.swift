extension VGG19 {
    /// The 16 convolution layers, by Keras' names. A layer's output is taken after its ReLU.
    public enum Layer: String, CaseIterable, Comparable, Sendable, Codable {
        case block1_conv1, block1_conv2
        case block2_conv1, block2_conv2
        case block3_conv1, block3_conv2, block3_conv3, block3_conv4
        case block4_conv1, block4_conv2, block4_conv3, block4_conv4
        case block5_conv1, block5_conv2, block5_conv3, block5_conv4

        /// Accepts Keras names (`block4_conv2`) and the usual aliases (`relu4_2`, `conv4_2`).
        public init?(name: String) {
            if let layer = Layer(rawValue: name) {
                self = layer
                return
            }
            let parts = name.split(separator: "_")
            guard parts.count == 2, let prefix = ["relu", "conv"].first(where: { parts[0].hasPrefix($0) }),
                  let block = Int(parts[0].dropFirst(prefix.count)), let index = Int(parts[1]),
                  let layer = Layer(rawValue: "block\(block)_conv\(index)")
            else { return nil }
            self = layer
        }

        /// 1…5.
        public var block: Int { Int(String(rawValue.dropFirst(5).prefix(1)))! }
        /// 1…4 within the block.
        public var indexInBlock: Int { Int(String(rawValue.last!))! }
        /// The usual short alias, `relu4_2` for `block4_conv2`.
        public var alias: String { "relu\(block)_\(indexInBlock)" }

        public var outputChannels: Int { [64, 128, 256, 512, 512][block - 1] }
        public var inputChannels: Int {
            guard let previous = Layer.allCases.firstIndex(of: self).flatMap({ $0 > 0 ? Layer.allCases[$0 - 1] : nil })
            else { return 3 }
            return previous.outputChannels
        }

        public static func < (a: Layer, b: Layer) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        /// The layer names a user may type, for error messages.
        public static var validNames: String { "block1_conv1 … block5_conv4 or relu1_1 … relu5_4" }
    }
}
