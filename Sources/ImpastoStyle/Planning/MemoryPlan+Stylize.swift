import ImpastoCore
import ImpastoImage
import ImpastoModels

extension MemoryPlan {
    /// The plan of `StylizeRun` with `configuration` for a content image and style images whose
    /// files are these sizes (each is shrunk to `configuration.maxDimension`, as the run does).
    ///
    /// Stage by stage (coarse to fine): the images and resized copies, the targets' passes, two
    /// evaluations of the loss and gradient (the second finds the first's buffers in the pool),
    /// all replayed in order through one pool, so buffers an earlier stage or pass left in it
    /// count; plus the optimiser's arrays for the stage's size and steps. The largest stage wins.
    /// A tiled run's stage would evaluate `VGG19Trace.evaluation` at its tile's size instead.
    public static func stylize(_ configuration: StylizeConfiguration, contentSize: (width: Int, height: Int),
                               styleSizes: [(width: Int, height: Int)], convolutions: ConvolutionAlgorithm = .current,
                               machine: MachineMemory = .current) -> MemoryPlan {
        let fit = { (size: (width: Int, height: Int)) in
            ImageFile.fittedSize(width: size.width, height: size.height, maxDimension: configuration.maxDimension)
        }
        let content = fit(contentSize)
        let styles = styleSizes.map(fit)
        let network = VGG19Trace(contentLayers: Set(configuration.contentLayers), styleLayers: Set(configuration.styleLayers),
                                 pooling: configuration.pooling, algorithm: convolutions, machine: machine)
        var trace = BufferTrace()
        var replay = PoolReplay(capacity: machine.bufferPoolCapacity)
        var scratchpad = SharedScratchpad()
        // The loaded images, held for the whole run.
        for image in [content] + styles { _ = trace.take(3 * image.width * image.height) }
        var (tensors, arrays) = (0, 0)
        let stages = CoarseToFine.sizes(width: content.width, height: content.height, scales: configuration.scales)
        for (index, size) in stages.enumerated() {
            let isLast = index == stages.count - 1
            replay.resetPeak()
            let held = stageBuffers(configuration, network: network, size: size, isLast: isLast, content: content,
                                    styles: styles, trace: &trace, scratchpad: &scratchpad)
            for _ in 0..<2 {
                let point = configuration.optimizer == .lbfgs ? trace.take(3 * size.width * size.height) : nil
                trace.give(network.evaluation(height: size.height, width: size.width, trace: &trace, scratchpad: &scratchpad))
                if let point { trace.give(point) }
            }
            trace.give(held)
            replay.replay(trace)
            trace.clearEvents()
            let stageArrays = optimizerBytes(configuration, size: size,
                                             steps: isLast ? configuration.totalSteps : configuration.scaleSteps)
            if replay.peak + stageArrays > tensors + arrays { (tensors, arrays) = (replay.peak, stageArrays) }
        }
        return MemoryPlan(parts: [
            Part(name: "process", bytes: processBytes),
            Part(name: "VGG19 weights", bytes: weightBytes(through: network.deepest, convolutions: convolutions)),
            Part(name: "images, activations, gradients and scratch", bytes: tensors),
            Part(name: "optimiser", bytes: arrays),
        ])
    }

    /// All 16 layers' weights as loaded, plus the blocked copies oneDNN's primitives ask for of
    /// the layers a run uses: one for a Winograd layer (its forward and backward-data primitives
    /// want the same layout), two for a direct one (they differ).
    static func weightBytes(through deepest: VGG19.Layer, convolutions: ConvolutionAlgorithm) -> Int {
        VGG19.Layer.allCases.map { layer in
            let weights = 9 * layer.inputChannels * layer.outputChannels
            let copies = layer > deepest ? 0
                : ConvolutionScratchpad.usesWinograd(inputChannels: layer.inputChannels, outputChannels: layer.outputChannels,
                                                     kernel: 3, stride: 1, algorithm: convolutions) ? 1 : 2
            return 4 * ((1 + copies) * weights + layer.outputChannels)
        }.reduce(0, +)
    }

    /// What a stage holds besides its evaluations: the content and styles resized to it (the
    /// full size uses the loaded images), the content features and style Grams its objective
    /// keeps, and its starting image. Returns them, still taken.
    private static func stageBuffers(_ configuration: StylizeConfiguration, network: VGG19Trace, size: (width: Int, height: Int),
                                     isLast: Bool, content: (width: Int, height: Int),
                                     styles: [(width: Int, height: Int)], trace: inout BufferTrace,
                                     scratchpad: inout SharedScratchpad) -> [BufferTrace.Buffer] {
        var held: [BufferTrace.Buffer] = []
        if !isLast { held.append(trace.take(3 * size.width * size.height)) }
        let factor = Double(size.width) / Double(content.width) * Double(configuration.styleScale)
        let stageStyles = factor == 1 ? styles : styles.map { style in
            (max(16, Int((Double(style.width) * factor).rounded())), max(16, Int((Double(style.height) * factor).rounded())))
        }
        if factor != 1 { held += stageStyles.map { trace.take(3 * $0.0 * $0.1) } }
        let contentFeatures = network.features(height: size.height, width: size.width, kept: network.contentLayers,
                                               trace: &trace, scratchpad: &scratchpad)
        held += contentFeatures.values.map(\.buffer)
        for style in stageStyles {
            held += network.styleTargets(height: style.1, width: style.0, trace: &trace, scratchpad: &scratchpad)
        }
        // The starting image: a copy of the content (Adam's first update copies the shared
        // tensor; noise and later stages make their own).
        held.append(trace.take(3 * size.width * size.height))
        return held
    }

    /// The optimiser's arrays (outside the pool), for a stage of `steps` steps at `size`: Adam's
    /// two moments and the step's copy of the image; L-BFGS's curvature pairs (two image-sized
    /// arrays each, as many as the steps can fill, plus the spare pair), the diagonal's two
    /// arrays over the pyramid's coordinates, and what one iteration holds besides: about nine
    /// image-sized arrays (gradients, direction, trial point) and two of the coordinates.
    static func optimizerBytes(_ configuration: StylizeConfiguration, size: (width: Int, height: Int), steps: Int) -> Int {
        let pixels = 3 * size.width * size.height
        switch configuration.optimizer {
        case .adam:
            return 4 * 3 * pixels
        case .lbfgs:
            let levels = configuration.effectivePyramidLevels
            let coordinates = levels > 1
                ? PixelPyramid(channels: 3, height: size.height, width: size.width, levels: levels,
                               decay: configuration.pyramidDecay).count
                : pixels
            let pairs = min(configuration.historySize, max(steps - 1, 0))
            let diagonal = configuration.startingHessian == .diagonal ? 2 * coordinates : 0
            return 4 * ((2 * pairs + 2 + 9) * pixels + diagonal + 2 * coordinates)
        }
    }
}
