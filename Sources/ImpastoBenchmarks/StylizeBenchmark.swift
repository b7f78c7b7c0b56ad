import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

/// The reference workload: seconds per Adam step of the tutorial's loop, next to the time the
/// same step's convolutions alone take (forward and backward-data at the content's size),
/// measured alternately in one process. Peak memory is the stylisation's alone.
public struct StylizeBenchmark: Sendable {
    public var content: URL
    public var style: URL
    public var steps: Int
    public var warmUp: Int

    public init(content: URL, style: URL, steps: Int = 20, warmUp: Int = 2) {
        self.content = content
        self.style = style
        self.steps = steps
        self.warmUp = warmUp
    }

    public struct Report: Sendable, Encodable {
        public var width: Int
        public var height: Int
        public var seconds_per_step: Double
        public var conv_seconds_per_step: Double
        public var peak_rss_mb: Double
        public var steps: Int
        public var ratio: Double { seconds_per_step / conv_seconds_per_step }

        public var table: String {
            String(format: """
                reference workload %d×%d, median of %d Adam steps after warm-up
                seconds per step:            %.3f
                convolutions alone:          %.3f  (forward + backward-data, 14 layers)
                step / convolutions:         %.3f  (everything else costs %.1f %%)
                peak memory:                 %.0f MB
                """, width, height, steps, seconds_per_step, conv_seconds_per_step, ratio, (ratio - 1) * 100, peak_rss_mb)
        }
    }

    public func run(network: VGG19) throws -> Report {
        let configuration = StylizeConfiguration(preset: .tutorial)
        let contentImage = try ImageFile.load(content, maxDimension: configuration.maxDimension)
        let styleImage = try ImageFile.load(style, maxDimension: configuration.maxDimension)
        var transfer = try Stylization(configuration: configuration, network: network, content: contentImage,
                                       style: styleImage).transfer
        for _ in 0..<max(warmUp, 1) { transfer.step() }
        // Steps allocate the same buffers every time, so the warm-up has reached the peak;
        // read it before the convolution pass adds buffers of its own.
        let peak = peakResidentMegabytes()
        let convolutions = ConvolutionPass(height: contentImage.shape.h, width: contentImage.shape.w)
        // Steps and convolution passes alternate, so that both see the same machine.
        var stepTimes: [Double] = [], convolutionTimes: [Double] = []
        for _ in 0..<steps {
            let start = ContinuousClock.now
            transfer.step()
            stepTimes.append((ContinuousClock.now - start).seconds)
            convolutionTimes.append(convolutions.time())
        }
        return Report(width: contentImage.shape.w, height: contentImage.shape.h, seconds_per_step: median(stepTimes),
                      conv_seconds_per_step: median(convolutionTimes), peak_rss_mb: peak,
                      steps: steps)
    }
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// The process's peak resident set size (VmHWM), in MB.
public func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return .nan }
    return kilobytes / 1024
}
