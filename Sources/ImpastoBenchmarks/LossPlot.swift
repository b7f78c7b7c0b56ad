import Foundation

/// Loss-versus-time curves as an SVG chart (log-scale loss), one line per method, the target
/// loss as a dashed line. `impasto bench quality --plot` renders it to PNG through libvips.
struct LossPlot {
    var curves: [(name: String, points: [(seconds: Double, loss: Double)])]
    var target: Double
    var width = 900.0
    var height = 540.0

    private let margin = (left: 90.0, right: 30.0, top: 30.0, bottom: 60.0)
    private let colours = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c"]

    var svg: String {
        let points = curves.flatMap(\.points).filter { $0.loss > 0 }
        let maxSeconds = max(points.map(\.seconds).max() ?? 1, 1)
        let lossRange = (low: log10(min(points.map(\.loss).min() ?? target, target) * 0.9),
                         high: log10(max(points.map(\.loss).max() ?? target, target) * 1.1))
        func x(_ seconds: Double) -> Double {
            margin.left + seconds / maxSeconds * (width - margin.left - margin.right)
        }
        func y(_ loss: Double) -> Double {
            let fraction = (log10(loss) - lossRange.low) / (lossRange.high - lossRange.low)
            return height - margin.bottom - fraction * (height - margin.top - margin.bottom)
        }
        var parts = [#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" font-family="sans-serif" font-size="14">"#,
                     #"<rect width="100%" height="100%" fill="white"/>"#]
        parts += axes(x: x, y: y, maxSeconds: maxSeconds, lossRange: lossRange)
        parts.append(#"<line x1="\#(x(0))" x2="\#(x(maxSeconds))" y1="\#(y(target))" y2="\#(y(target))" stroke="dimgray" stroke-dasharray="6 4"/>"#)
        parts.append(#"<text x="\#(x(maxSeconds) - 4)" y="\#(y(target) - 6)" text-anchor="end" fill="dimgray">reference loss \#(String(format: "%.4g", target))</text>"#)
        for (index, curve) in curves.enumerated() {
            let colour = colours[index % colours.count]
            let path = curve.points.filter { $0.loss > 0 }
                .map { String(format: "%.1f,%.1f", x($0.seconds), y($0.loss)) }.joined(separator: " ")
            parts.append(#"<polyline fill="none" stroke="\#(colour)" stroke-width="2.5" points="\#(path)"/>"#)
            let legendY = margin.top + 10 + Double(index) * 22
            parts.append(#"<line x1="\#(width - 300)" x2="\#(width - 270)" y1="\#(legendY)" y2="\#(legendY)" stroke="\#(colour)" stroke-width="3"/>"#)
            parts.append(#"<text x="\#(width - 262)" y="\#(legendY + 5)">\#(curve.name)</text>"#)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    private func axes(x: (Double) -> Double, y: (Double) -> Double, maxSeconds: Double,
                      lossRange: (low: Double, high: Double)) -> [String] {
        var parts = [#"<line x1="\#(x(0))" x2="\#(x(maxSeconds))" y1="\#(height - margin.bottom)" y2="\#(height - margin.bottom)" stroke="black"/>"#,
                     #"<line x1="\#(x(0))" x2="\#(x(0))" y1="\#(margin.top)" y2="\#(height - margin.bottom)" stroke="black"/>"#,
                     #"<text x="\#((margin.left + width - margin.right) / 2)" y="\#(height - 15)" text-anchor="middle">wall time (s)</text>"#,
                     #"<text transform="translate(20 \#(height / 2)) rotate(-90)" text-anchor="middle">loss (log scale)</text>"#]
        let step = niceStep(maxSeconds / 8)
        for tick in stride(from: 0.0, through: maxSeconds, by: step) {
            parts.append(#"<line x1="\#(x(tick))" x2="\#(x(tick))" y1="\#(height - margin.bottom)" y2="\#(height - margin.bottom + 5)" stroke="black"/>"#)
            parts.append(#"<text x="\#(x(tick))" y="\#(height - margin.bottom + 22)" text-anchor="middle">\#(Int(tick))</text>"#)
        }
        for exponent in Int(lossRange.low.rounded(.up))...max(Int(lossRange.low.rounded(.up)), Int(lossRange.high.rounded(.down))) {
            for mantissa in [1.0, 2.0, 5.0] {
                let loss = mantissa * pow(10, Double(exponent))
                guard log10(loss) >= lossRange.low, log10(loss) <= lossRange.high else { continue }
                parts.append(#"<line x1="\#(x(0) - 5)" x2="\#(x(maxSeconds))" y1="\#(y(loss))" y2="\#(y(loss))" stroke="gainsboro"/>"#)
                parts.append(#"<text x="\#(x(0) - 8)" y="\#(y(loss) + 5)" text-anchor="end">\#(String(format: "%.0e", loss))</text>"#)
            }
        }
        return parts
    }

    /// 1, 2 or 5 times a power of ten, at least `rough`.
    private func niceStep(_ rough: Double) -> Double {
        let power = pow(10, (log10(max(rough, 1e-9))).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
    }
}

extension QualityBenchmark.Report {
    /// The curves as an SVG chart.
    public var plotSVG: String {
        LossPlot(curves: methods.map { ($0.name, $0.curve) }, target: referenceLoss).svg
    }
}
