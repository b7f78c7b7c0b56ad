import ImpastoCore
import ImpastoImage

extension MemoryPlan {
    /// The plan of `ApplyRun` for a photo whose file is `photoSize`, shrunk to `maxDimension`:
    /// one pass without the tape, each convolution's input reflection-padded, its output and its
    /// instance norm's output channel-blocked (channels padded to 16), every buffer given back
    /// once the next layer has used it (a residual block keeps its input until the sum), replayed
    /// through the pool, which keeps one of each size. The photo's own copies (mirrored to
    /// multiples of 4, the result cropped, the 8-bit pixels written) are counted too.
    public static func apply(_ network: OnePassArchitecture, photoSize: (width: Int, height: Int), maxDimension: Int?,
                             convolutions: ConvolutionAlgorithm = .current, machine: MachineMemory = .current) -> MemoryPlan {
        let fitted = maxDimension.map { ImageFile.fittedSize(width: photoSize.width, height: photoSize.height, maxDimension: $0) }
            ?? photoSize
        let (height, width) = ((fitted.height + 3) / 4 * 4, (fitted.width + 3) / 4 * 4)
        var trace = BufferTrace()
        var scratchpad = SharedScratchpad()
        let photo = trace.take(3 * fitted.width * fitted.height)
        let layers = OnePassTrace(architecture: network, algorithm: convolutions, machine: machine)
        let output = layers.pass(height: height, width: width, trace: &trace, scratchpad: &scratchpad)
        let cropped = trace.take(3 * fitted.width * fitted.height)
        trace.give([output, cropped, photo])
        var replay = PoolReplay(capacity: machine.bufferPoolCapacity)
        replay.replay(trace)
        // The mirrored and cropped copies go through [Float] arrays, and the writer holds the
        // quantised bytes: about three more image-sized arrays at the peak's ends.
        let arrays = 4 * 3 * 3 * width * height
        return MemoryPlan(parts: [
            Part(name: "process", bytes: processBytes),
            Part(name: "network weights", bytes: 4 * 2 * network.parameters),
            Part(name: "photo, activations and scratch", bytes: replay.peak),
            Part(name: "image arrays", bytes: arrays),
        ])
    }
}

/// A one-pass network's buffers as its forward pass without the tape makes them.
struct OnePassTrace {
    var architecture: OnePassArchitecture
    var algorithm: ConvolutionAlgorithm
    var machine: MachineMemory

    private struct Activation {
        var buffer: BufferTrace.Buffer
        var channels: Int
        var height: Int
        var width: Int
    }

    /// Floats of an activation in the convolutions' blocked layout.
    private static func blocked(_ channels: Int, _ height: Int, _ width: Int) -> Int {
        (channels + 15) / 16 * 16 * height * width
    }

    /// The pass over a `3 × height × width` input (sides multiples of 4); returns the output
    /// image's buffer, still taken. The input itself is the caller's.
    func pass(height: Int, width: Int, trace: inout BufferTrace, scratchpad: inout SharedScratchpad) -> BufferTrace.Buffer {
        var x = Activation(buffer: trace.take(3 * height * width), channels: 3, height: height, width: width)
        for convolution in architecture.encoder + architecture.decoder {
            x = normalisedConvolution(x, convolution, trace: &trace, scratchpad: &scratchpad, givingInput: true)
            if convolution == architecture.encoder.last {
                let residual = OnePassArchitecture.Convolution(inputs: architecture.residualChannels,
                                                               outputs: architecture.residualChannels, kernel: 3)
                for _ in 0..<architecture.residualBlocks {
                    let branch = normalisedConvolution(x, residual, trace: &trace, scratchpad: &scratchpad, givingInput: false)
                    let second = normalisedConvolution(branch, residual, trace: &trace, scratchpad: &scratchpad, givingInput: true)
                    let sum = trace.take(Self.blocked(x.channels, x.height, x.width))
                    trace.give([second.buffer, x.buffer])
                    x.buffer = sum
                }
            }
        }
        // The last convolution, by output phases: padded input, 4·3 channels (blocked to 16) at
        // half size, interleaved into NCHW, then the sigmoid.
        let padding = architecture.finalKernel / 2
        let padded = trace.take(Self.blocked(x.channels, x.height + 2 * padding, x.width + 2 * padding))
        trace.give(x.buffer)
        let phases = trace.take(Self.blocked(12, x.height / 2, x.width / 2))
        trace.give(padded)
        let interleaved = trace.take(3 * x.height * x.width)
        trace.give(phases)
        let output = trace.take(3 * x.height * x.width)
        trace.give(interleaved)
        return output
    }

    /// Upsampling (when the layer has it), reflection padding, the convolution, then the norm
    /// (with its ReLU); the input is given back after the convolution unless the caller keeps it.
    private func normalisedConvolution(_ x: Activation, _ convolution: OnePassArchitecture.Convolution,
                                       trace: inout BufferTrace, scratchpad: inout SharedScratchpad,
                                       givingInput: Bool) -> Activation {
        var input = x
        if convolution.upsampledBefore {
            input = Activation(buffer: trace.take(Self.blocked(x.channels, 2 * x.height, 2 * x.width)), channels: x.channels,
                               height: 2 * x.height, width: 2 * x.width)
            if givingInput { trace.give(x.buffer) }
        }
        let padding = convolution.kernel / 2
        let paddedFloats = input.channels == 3 ? 3 * (input.height + 2 * padding) * (input.width + 2 * padding)
            : Self.blocked(input.channels, input.height + 2 * padding, input.width + 2 * padding)
        let padded = trace.take(paddedFloats)
        let (height, width) = ((input.height - 1) / convolution.stride + 1, (input.width - 1) / convolution.stride + 1)
        scratchpad.need(ConvolutionScratchpad.size(inputChannels: convolution.inputs, outputChannels: convolution.outputs,
                                                   kernel: convolution.kernel, stride: convolution.stride, height: height,
                                                   width: width, algorithm: algorithm, machine: machine), in: &trace)
        let output = trace.take(Self.blocked(convolution.outputs, height, width))
        trace.give(padded)
        if givingInput || convolution.upsampledBefore { trace.give(input.buffer) }
        let normalised = trace.take(Self.blocked(convolution.outputs, height, width))
        trace.give(output)
        return Activation(buffer: normalised, channels: convolution.outputs, height: height, width: width)
    }
}
