import ImpastoCore

/// What the network's weights expect of their input, given an RGB image in [0, 1].
public enum Preprocessing: String, Sendable, Codable {
    /// Keras/Caffe VGG: ×255, RGB→BGR, minus the BGR means [103.939, 116.779, 123.68].
    case caffe
    /// torchvision: RGB in [0, 1], minus the ImageNet mean, divided by its standard deviation.
    case torchvision

    /// For each output channel: the input channel it reads, its scale and its offset.
    private var channelMap: [(source: Int, scale: Float, offset: Float)] {
        switch self {
        case .caffe:
            [(2, 255, -103.939), (1, 255, -116.779), (0, 255, -123.68)]
        case .torchvision:
            zip([0.485, 0.456, 0.406] as [Float], [0.229, 0.224, 0.225] as [Float]).enumerated().map { channel, stats in
                (channel, 1 / stats.1, -stats.0 / stats.1)
            }
        }
    }

    /// The network input for `image`, differentiable with respect to the image.
    public func apply(to image: Tensor) -> Tensor {
        let plain = image.laidOut(as: .nchw)
        let map = channelMap
        let output = remapChannels(plain) { out, input, channel in
            let (source, scale, offset) = map[channel]
            for i in out.indices { out[i] = input[source][i] * scale + offset }
        }
        return Tape.record("preprocess.\(rawValue)", inputs: [plain], output: output) { dy, _ in
            // Input channel k was read by the output channel c whose source is k.
            [remapChannels(dy.laidOut(as: .nchw)) { dx, gradient, k in
                let c = map.firstIndex { $0.source == k }!
                for i in dx.indices { dx[i] = gradient[c][i] * map[c].scale }
            }]
        }
    }
}

/// Builds a tensor of x's shape plane by plane: `fill(outputPlane, inputPlanes, channel)` for
/// each image and channel, where inputPlanes are the image's three channel planes.
private func remapChannels(
    _ x: Tensor,
    _ fill: (inout UnsafeMutableBufferPointer<Float>, [UnsafeBufferPointer<Float>], Int) -> Void
) -> Tensor {
    var output = Tensor(zeros: x.shape)
    let plane = x.shape.h * x.shape.w
    x.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { out in
            for n in 0..<x.shape.n {
                let base = n * x.shape.c * plane
                let planes = (0..<x.shape.c).map { UnsafeBufferPointer(rebasing: input[base + $0 * plane..<base + ($0 + 1) * plane]) }
                for channel in 0..<x.shape.c {
                    var target = UnsafeMutableBufferPointer(rebasing: out[base + channel * plane..<base + (channel + 1) * plane])
                    fill(&target, planes, channel)
                }
            }
        }
    }
    return output
}
