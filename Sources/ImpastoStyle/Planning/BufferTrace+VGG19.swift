import ImpastoCore
import ImpastoModels

/// VGG19's buffers as `VGG19.features(of:layers:)`, `StyleObjective` and the tape make them.
/// Activations are channel-blocked (VGG19's channel counts need no padding).
struct VGG19Trace {
    var contentLayers: Set<VGG19.Layer>
    var styleLayers: Set<VGG19.Layer>
    var pooling: Pooling
    var algorithm: ConvolutionAlgorithm
    var machine: MachineMemory

    var deepest: VGG19.Layer { (contentLayers.union(styleLayers)).max() ?? .block1_conv1 }

    /// An activation: its buffer and its size.
    struct Activation {
        var buffer: BufferTrace.Buffer
        var channels: Int
        var height: Int
        var width: Int
        var floats: Int { channels * height * width }
    }

    /// The layers run as far as `last` (the deepest layer the objective uses), each with its
    /// output's size, for an image of `height × width`.
    func layerSizes(height: Int, width: Int, through last: VGG19.Layer? = nil) -> [(layer: VGG19.Layer, height: Int, width: Int)] {
        var (h, w) = (height, width)
        return VGG19.Layer.allCases.filter { $0 <= last ?? deepest }.map { layer in
            if layer.indexInBlock == 1 && layer.block > 1 { (h, w) = (h / 2, w / 2) }
            return (layer, h, w)
        }
    }

    private func scratchpad(_ layer: VGG19.Layer, height: Int, width: Int) -> (floats: Int, touched: Int) {
        ConvolutionScratchpad.size(inputChannels: layer.inputChannels, outputChannels: layer.outputChannels, kernel: 3,
                                   stride: 1, height: height, width: width, algorithm: algorithm, machine: machine)
    }

    /// A pass without the tape (the targets), as deep as the deepest of `kept`: each activation
    /// is given back once the next is made, except those of `kept`, which are returned.
    func features(height: Int, width: Int, kept: Set<VGG19.Layer>, trace: inout BufferTrace,
                  scratchpad: inout SharedScratchpad) -> [VGG19.Layer: Activation] {
        guard let last = kept.max() else { return [:] }
        var x = Activation(buffer: trace.take(3 * height * width), channels: 3, height: height, width: width)
        var outputs: [VGG19.Layer: Activation] = [:]
        var previousKept = false
        for (layer, h, w) in layerSizes(height: height, width: width, through: last) {
            if layer.indexInBlock == 1 && layer.block > 1 {
                let pooled = Activation(buffer: trace.take(x.channels * h * w), channels: x.channels, height: h, width: w)
                if !previousKept { trace.give(x.buffer) }
                (x, previousKept) = (pooled, false)
            }
            scratchpad.need(self.scratchpad(layer, height: h, width: w), in: &trace)
            let y = Activation(buffer: trace.take(layer.outputChannels * h * w), channels: layer.outputChannels, height: h, width: w)
            if !previousKept { trace.give(x.buffer) }
            x = y
            previousKept = kept.contains(layer)
            if previousKept { outputs[layer] = y }
        }
        if !previousKept { trace.give(x.buffer) }
        return outputs
    }

    /// The style targets of one style image: its features, a Gram of each (through an NCHW
    /// copy), the features then given back. Returns the Grams, which the objective keeps.
    func styleTargets(height: Int, width: Int, trace: inout BufferTrace,
                      scratchpad: inout SharedScratchpad) -> [BufferTrace.Buffer] {
        let features = features(height: height, width: width, kept: styleLayers, trace: &trace, scratchpad: &scratchpad)
        var grams: [BufferTrace.Buffer] = []
        for (layer, activation) in features.sorted(by: { $0.key < $1.key }) {
            let copy = trace.take(activation.floats)
            grams.append(trace.take(layer.outputChannels * layer.outputChannels))
            trace.give(copy)
            trace.give(activation.buffer)
        }
        return grams
    }

    /// One evaluation of the loss and its gradient at an image of `height × width`, as
    /// `GatysTransfer.evaluate` runs it: the forward pass recorded on the tape (every activation,
    /// max pooling's workspace, an NCHW copy and the Gram of each style layer kept until the
    /// gradient is done), then the pullbacks in the tape's order: the loss terms' first (total
    /// variation's at the image, each Gram's dF in NCHW, each content layer's difference), then
    /// down the network, where a layer's gradient is summed with its loss term's (reordered to
    /// NCHW when that one is) and reordered back for the ReLU. Returns the image's gradient,
    /// still taken; everything else is given back.
    func evaluation(height: Int, width: Int, trace: inout BufferTrace,
                    scratchpad: inout SharedScratchpad) -> BufferTrace.Buffer {
        var kept: [BufferTrace.Buffer] = []
        let preprocessed = trace.take(3 * height * width)
        kept.append(preprocessed)
        var outputs: [VGG19.Layer: Activation] = [:]
        var channels = 3
        for (layer, h, w) in layerSizes(height: height, width: width) {
            if layer.indexInBlock == 1 && layer.block > 1 {
                kept.append(trace.take(channels * h * w))
                if pooling == .max { kept.append(trace.take((channels * h * w + 3) / 4)) }
            }
            scratchpad.need(self.scratchpad(layer, height: h, width: w), in: &trace)
            let y = Activation(buffer: trace.take(layer.outputChannels * h * w), channels: layer.outputChannels,
                               height: h, width: w)
            kept.append(y.buffer)
            outputs[layer] = y
            channels = layer.outputChannels
            if styleLayers.contains(layer) {
                kept.append(trace.take(y.floats))
                kept.append(trace.take(channels * channels))
            }
        }

        let variation = trace.take(3 * height * width)
        var gradients: [VGG19.Layer: Gradient] = [:]
        for layer in styleLayers.sorted(by: >) {
            let c = layer.outputChannels
            let (difference, symmetric) = (trace.take(c * c), trace.take(c * c))
            gradients[layer] = Gradient(buffer: trace.take(outputs[layer]!.floats), isPlain: true)
            trace.give([symmetric, difference])
        }
        for layer in contentLayers.sorted(by: >) {
            let difference = Gradient(buffer: trace.take(outputs[layer]!.floats), isPlain: false)
            gradients[layer] = sum(gradients[layer], difference, trace: &trace)
        }

        var arriving: Gradient?
        let layers = layerSizes(height: height, width: width)
        for (index, (layer, h, w)) in layers.enumerated().reversed() {
            let output = outputs[layer]!
            let gradient = sum(gradients[layer], arriving, trace: &trace)!
            var temporaries = [trace.take(output.floats)]
            if gradient.isPlain { temporaries.append(trace.take(output.floats)) }
            scratchpad.need(self.scratchpad(layer, height: h, width: w), in: &trace)
            let inputGradient = trace.take(layer.inputChannels * h * w)
            trace.give(temporaries + [gradient.buffer])
            guard index > 0 else {
                let remapped = trace.take(3 * height * width)
                trace.give(inputGradient)
                let image = sum(Gradient(buffer: variation, isPlain: true), Gradient(buffer: remapped, isPlain: true),
                                trace: &trace)!
                trace.give(kept)
                return image.buffer
            }
            if layer.indexInBlock == 1 && layer.block > 1 {
                let below = outputs[layers[index - 1].layer]!
                arriving = Gradient(buffer: trace.take(below.floats), isPlain: false)
                trace.give(inputGradient)
            } else {
                arriving = Gradient(buffer: inputGradient, isPlain: false)
            }
        }
        preconditionFailure("VGG19Trace.evaluation ran no layer")
    }

    /// A gradient on the tape and whether it is NCHW (else the activation's blocked layout).
    struct Gradient {
        var buffer: BufferTrace.Buffer
        var isPlain: Bool
    }

    /// The tape's `+=`: the sum in the first gradient's layout, the second reordered to it first
    /// when their layouts differ; both are given back.
    private func sum(_ first: Gradient?, _ second: Gradient?, trace: inout BufferTrace) -> Gradient? {
        guard let first else { return second }
        guard let second else { return first }
        let reordered = first.isPlain != second.isPlain ? trace.take(second.buffer.floats) : nil
        let total = trace.take(first.buffer.floats)
        trace.give([reordered, first.buffer, second.buffer].compactMap { $0 })
        return Gradient(buffer: total, isPlain: first.isPlain)
    }
}
