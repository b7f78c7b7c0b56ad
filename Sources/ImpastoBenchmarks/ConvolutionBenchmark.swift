import CDNNL
import Foundation
@_spi(Benchmarks) import ImpastoCore

/// Times VGG19's convolutions forward and backward-data in oneDNN, next to a 4096³ sgemm as
/// the machine's peak.
public struct ConvolutionBenchmark: Sendable {
    public var height = 300
    public var width = 451
    public var repeats = 5

    public init(height: Int = 300, width: Int = 451, repeats: Int = 5) {
        self.height = height
        self.width = width
        self.repeats = repeats
    }

    public struct LayerResult: Codable, Sendable {
        public var name: String
        public var shape: String
        public var gflop: Double
        public var forwardSeconds: Double
        public var backwardDataSeconds: Double
        public var forwardGFLOPS: Double { gflop / forwardSeconds }
        public var backwardDataGFLOPS: Double { gflop / backwardDataSeconds }
    }

    public struct Report: Sendable {
        public var layers: [LayerResult]
        public var sgemmGFLOPS: Double
        public var reorders: Int
        public var threads: String
        public var algorithm: String

        public var totalGFLOP: Double { layers.map(\.gflop).reduce(0, +) }
        public var forwardSeconds: Double { layers.map(\.forwardSeconds).reduce(0, +) }
        public var backwardDataSeconds: Double { layers.map(\.backwardDataSeconds).reduce(0, +) }
        public var forwardGFLOPS: Double { totalGFLOP / forwardSeconds }
        public var backwardDataGFLOPS: Double { totalGFLOP / backwardDataSeconds }
        public var combinedGFLOPS: Double { 2 * totalGFLOP / (forwardSeconds + backwardDataSeconds) }
    }

    public func run() -> Report {
        var generator = SeededGenerator(seed: 1)
        var reorders = 0
        let layers = BenchmarkLayer.vgg19(height: height, width: width).map {
            measure($0, reorders: &reorders, using: &generator)
        }
        return Report(layers: layers, sgemmGFLOPS: sgemmGFLOPS(), reorders: reorders,
                      threads: ProcessInfo.processInfo.environment["OMP_NUM_THREADS"]
                          ?? String(ProcessInfo.processInfo.activeProcessorCount),
                      algorithm: ConvolutionAlgorithm.current.rawValue)
    }

    /// Times one layer; adds the reorders that ran inside the timed calls to `reorders`.
    private func measure(_ layer: BenchmarkLayer, reorders: inout Int,
                         using generator: inout SeededGenerator) -> LayerResult {
        let prepared = PreparedLayer(layer, using: &generator)
        let reordersBefore = Reorder.count
        defer { reorders += Reorder.count - reordersBefore }
        let forward = medianSeconds { prepared.forward() }
        let backward = medianSeconds { prepared.backwardData() }
        return LayerResult(name: layer.name,
                           shape: "\(layer.inputChannels)→\(layer.outputChannels) @ \(layer.height)×\(layer.width)",
                           gflop: layer.flops / 1e9, forwardSeconds: forward, backwardDataSeconds: backward)
    }

    private func medianSeconds(_ body: () -> Void) -> Double {
        let times = (0..<max(repeats, 1)).map { _ in
            let start = ContinuousClock.now
            body()
            return (ContinuousClock.now - start).seconds
        }
        return median(times)
    }

    /// A 4096³ single-precision matrix product through oneDNN's sgemm: the machine's peak.
    private func sgemmGFLOPS() -> Double {
        let n = 4096
        var generator = SeededGenerator(seed: 2)
        let a = (0..<n * n).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<n * n).map { _ in Float.random(in: -1...1, using: &generator) }
        var c = [Float](repeating: 0, count: n * n)
        let seconds = medianSeconds {
            let status = dnnl_sgemm(78, 78, Int64(n), Int64(n), Int64(n), 1, a, Int64(n), b, Int64(n), 0, &c, Int64(n))
            precondition(status == dnnl_success, "dnnl_sgemm failed")
        }
        return 2 * pow(Double(n), 3) / seconds / 1e9
    }
}

/// One VGG19 layer's convolution with random weights and inputs, warmed up, ready to time.
struct PreparedLayer {
    let geometry: ConvolutionGeometry
    let weight: Tensor
    let bias: Tensor
    let x: Tensor
    let dy: Tensor

    init(_ layer: BenchmarkLayer, using generator: inout SeededGenerator) {
        geometry = ConvolutionGeometry(input: Shape(1, layer.inputChannels, layer.height, layer.width),
                                       outputChannels: layer.outputChannels, kernel: 3, stride: 1, padding: 1,
                                       hasBias: true)
        weight = Tensor(uniform: -0.05...0.05, shape: geometry.weightShape, using: &generator)
        bias = Tensor(uniform: -0.05...0.05, shape: Shape(1, layer.outputChannels, 1, 1), using: &generator)
        let input = Tensor(uniform: 0...1, shape: geometry.input, using: &generator)
        let gradient = Tensor(uniform: -1...1, shape: geometry.output, using: &generator)
        // Inside the network each layer receives the previous layer's output, already in the
        // layout oneDNN picks; lay the inputs out that way so the timings exclude reorders.
        let warmOutput = Kernels.convolution(input, weight: weight, bias: bias, geometry: geometry)
        x = layer.inputChannels > 3 ? input.laidOut(as: warmOutput.layout) : input
        dy = gradient.laidOut(as: warmOutput.layout)
        backwardData()
    }

    func forward() { _ = Kernels.convolution(x, weight: weight, bias: bias, geometry: geometry) }

    func backwardData() { _ = Kernels.convolutionBackwardData(dy, weight: weight, geometry: geometry) }
}

/// The 14 layers prepared once, so that a whole forward + backward-data pass can be timed
/// again and again (interleaved with other work, to cancel the machine's drift).
public struct ConvolutionPass {
    private let layers: [PreparedLayer]

    public init(height: Int, width: Int) {
        var generator = SeededGenerator(seed: 1)
        layers = BenchmarkLayer.vgg19(height: height, width: width).map { PreparedLayer($0, using: &generator) }
    }

    /// Seconds for one forward and one backward-data through all 14 layers.
    public func time() -> Double {
        let start = ContinuousClock.now
        for layer in layers {
            layer.forward()
            layer.backwardData()
        }
        return (ContinuousClock.now - start).seconds
    }
}
