import ImpastoCore

/// The scratch memory oneDNN asks for to run a convolution, in floats, as the primitives
/// ImpastoCore makes report it (`dnnl_query_scratchpad_md`, oneDNN 2.6 on AVX-512).
///
/// Direct convolutions need none. Winograd F(4×4, 3×3), which ImpastoCore uses for stride-1 3×3
/// convolutions with 16 channels or more in and out, transforms its weights (U, 6²·Cin·Cout) and
/// then picks one of two schedules by whether U fits the per-core level-2 cache: a tiled one that
/// works a few tiles per thread at a time (a few MiB), or one that transforms the whole image
/// first, holding V and M, 6²·(Cin + Cout) floats per 4×4 output tile. The second is what makes
/// large images expensive: VGG19's block2_conv2 at 2048×1536 asks for 1.8 GB. oneDNN books each
/// part on 2 MiB pages, which adds up to 6 MiB.
enum ConvolutionScratchpad {
    /// The floats booked (`floats`, the buffer's size) and those written (`touched`, U and the
    /// parts of V and M in use; the page rounding is never written).
    static func size(inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int, height: Int, width: Int,
                     algorithm: ConvolutionAlgorithm, machine: MachineMemory) -> (floats: Int, touched: Int) {
        guard usesWinograd(inputChannels: inputChannels, outputChannels: outputChannels, kernel: kernel, stride: stride,
                           algorithm: algorithm) else { return (0, 0) }
        let transformedWeights = 36 * inputChannels * outputChannels
        // oneDNN keeps the tiled schedule while U takes under about 0.9 of the cache (measured:
        // 900 KiB of a 1 MiB cache stayed tiled, 1008 KiB did not).
        let tiled = 4 * transformedWeights * 10 <= machine.level2Cache * 9
        let tiles = tiled ? machine.threads * 32 : ((height + 3) / 4) * ((width + 3) / 4)
        let touched = transformedWeights + 36 * (inputChannels + outputChannels) * tiles
        return ((6 << 20) / 4 + touched, touched)
    }

    /// ImpastoCore's choice (`ConvolutionGeometry.usesWinograd`).
    static func usesWinograd(inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int,
                             algorithm: ConvolutionAlgorithm) -> Bool {
        algorithm == .automatic && kernel == 3 && stride == 1 && inputChannels >= 16 && outputChannels >= 16
    }
}

/// ImpastoCore's `Scratchpad`: one buffer that every primitive shares, replaced by a larger one
/// when a primitive needs more (the smaller goes back to the pool).
struct SharedScratchpad {
    private(set) var buffer: BufferTrace.Buffer?

    mutating func need(_ size: (floats: Int, touched: Int), in trace: inout BufferTrace) {
        guard size.floats > (buffer?.floats ?? 0) else { return }
        let grown = trace.take(size.floats, touched: size.touched)
        if let buffer { trace.give(buffer) }
        buffer = grown
    }
}
