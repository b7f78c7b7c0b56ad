import Foundation
import ImpastoCore

extension ConvolutionBenchmark.Report {
    /// A table of per-layer GFLOP/s with each figure as a share of the sgemm peak.
    public var table: String {
        func ratio(_ gflops: Double) -> String { String(format: "%.2f", gflops / sgemmGFLOPS) }
        func row(_ cells: [String]) -> String {
            zip(cells, [-8, -24, 7, 9, 6, 9, 6]).map { cell, width in
                let padding = String(repeating: " ", count: max(abs(width) - cell.count, 0))
                return width < 0 ? cell + padding : padding + cell
            }.joined(separator: " ")
        }
        var lines = [row(["layer", "shape", "GFLOP", "fwd GF/s", "×peak", "bwd GF/s", "×peak"])]
        for layer in layers {
            lines.append(row([layer.name, layer.shape, String(format: "%.2f", layer.gflop),
                              String(format: "%.1f", layer.forwardGFLOPS), ratio(layer.forwardGFLOPS),
                              String(format: "%.1f", layer.backwardDataGFLOPS), ratio(layer.backwardDataGFLOPS)]))
        }
        lines.append(row(["total", "", String(format: "%.2f", totalGFLOP), String(format: "%.1f", forwardGFLOPS),
                          ratio(forwardGFLOPS), String(format: "%.1f", backwardDataGFLOPS), ratio(backwardDataGFLOPS)]))
        lines.append(String(format: "forward + backward-data: %.1f GFLOP/s (%.2f × peak) in %.3f s; sgemm 4096³: %.1f GFLOP/s",
                            combinedGFLOPS, combinedGFLOPS / sgemmGFLOPS, forwardSeconds + backwardDataSeconds,
                            sgemmGFLOPS))
        lines.append("threads: \(threads); reorders inside the timed calls: \(reorders); convolutions: \(algorithm)")
        if algorithm == ConvolutionAlgorithm.automatic.rawValue {
            lines.append("GFLOP counts the direct method's work; Winograd does less, so its GF/s are effective rates.")
        }
        return lines.joined(separator: "\n")
    }

    /// The same figures as one JSON object.
    public func json() throws -> String {
        struct Output: Encodable {
            var forward_gflops: Double
            var backward_data_gflops: Double
            var combined_gflops: Double
            var sgemm_gflops: Double
            var forward_seconds: Double
            var backward_data_seconds: Double
            var reorders: Int
            var threads: String
            var convolutions: String
            var layers: [Layer]
        }
        struct Layer: Encodable {
            var name: String
            var shape: String
            var gflop: Double
            var forward_gflops: Double
            var backward_data_gflops: Double
        }
        let output = Output(
            forward_gflops: forwardGFLOPS, backward_data_gflops: backwardDataGFLOPS, combined_gflops: combinedGFLOPS,
            sgemm_gflops: sgemmGFLOPS, forward_seconds: forwardSeconds, backward_data_seconds: backwardDataSeconds,
            reorders: reorders, threads: threads, convolutions: algorithm,
            layers: layers.map { Layer(name: $0.name, shape: $0.shape, gflop: $0.gflop, forward_gflops: $0.forwardGFLOPS,
                                       backward_data_gflops: $0.backwardDataGFLOPS) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
}
