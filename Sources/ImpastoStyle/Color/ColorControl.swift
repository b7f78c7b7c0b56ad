import Foundation
import ImpastoCore

/// How a run treats colour (Gatys et al. 2016, "Preserving colour in neural artistic style transfer").
public enum ColorPreservation: String, Sendable, Codable, CaseIterable {
    /// The result takes the painting's colours, as in the reference.
    case none
    /// Style is transferred on luminance only; the result keeps the photo's chroma exactly.
    case luminance
    /// The painting is first recoloured so that its colour mean and covariance match the photo's.
    case histogram
}

/// Colour operations on `1 × 3 × H × W` RGB images in [0, 1].
public enum ColorControl {
    /// RGB → YIQ (NTSC), the space Gatys et al. 2016 use to separate luminance from chroma.
    static let toYIQ: [[Float]] = [[0.299, 0.587, 0.114], [0.595716, -0.274453, -0.321263], [0.211456, -0.522591, 0.311135]]
    static let fromYIQ: [[Float]] = inverse3x3(toYIQ)

    /// Prepares the images a run optimises on for `mode`: unchanged for `.none`; the style
    /// recoloured for `.histogram`; both reduced to luminance for `.luminance`, the style's
    /// luminance normalised to the content's mean and deviation.
    public static func prepare(content: Tensor, style: Tensor, mode: ColorPreservation) -> (content: Tensor, style: Tensor) {
        switch mode {
        case .none:
            return (content, style)
        case .histogram:
            return (content, matchingColors(of: style, to: content))
        case .luminance:
            let contentLuminance = planes(content, through: toYIQ)[0]
            var styleLuminance = planes(style, through: toYIQ)[0]
            let (contentMean, contentDeviation) = meanAndDeviation(contentLuminance)
            let (styleMean, styleDeviation) = meanAndDeviation(styleLuminance)
            let gain = contentDeviation / max(styleDeviation, 1e-6)
            styleLuminance = styleLuminance.map { ($0 - styleMean) * gain + contentMean }
            return (grey(contentLuminance, like: content), grey(styleLuminance, like: style))
        }
    }

    /// The image a run shows for `mode`: for `.luminance`, the optimised image's luminance with
    /// the content's chroma (I and Q), back in RGB and clipped to [0, 1]; otherwise `image`.
    public static func finish(_ image: Tensor, content: Tensor, mode: ColorPreservation) -> Tensor {
        guard mode == .luminance else { return image }
        let luminance = planes(image, through: toYIQ)[0]
        let chroma = planes(content, through: toYIQ)
        var result = ColorControl.image(from: [luminance, chroma[1], chroma[2]], through: fromYIQ, shape: content.shape)
        result.clamp(to: 0...1)
        return result
    }

    /// `style` with its pixels' colour mean and covariance moved to `content`'s:
    /// x ↦ Σc^½ Σs^-½ (x − μs) + μc, the linear colour transfer of Gatys et al. 2016 §2.2.
    public static func matchingColors(of style: Tensor, to content: Tensor) -> Tensor {
        let (styleMean, styleCovariance) = colourStatistics(style)
        let (contentMean, contentCovariance) = colourStatistics(content)
        let transform = multiply(symmetricPower(contentCovariance, 0.5), symmetricPower(styleCovariance, -0.5))
        let source = planes(style, through: identity)
        let count = source[0].count
        var output = [[Float]](repeating: [Float](repeating: 0, count: count), count: 3)
        for i in 0..<count {
            let centred = (0..<3).map { Double(source[$0][i]) - styleMean[$0] }
            for row in 0..<3 {
                let value = (0..<3).reduce(contentMean[row]) { $0 + transform[row][$1] * centred[$1] }
                output[row][i] = Float(min(max(value, 0), 1))
            }
        }
        return image(from: output, through: identity, shape: style.shape)
    }

    // MARK: Planes and matrices

    static let identity: [[Float]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]

    /// The three channel planes after a 3×3 colour transform.
    static func planes(_ image: Tensor, through matrix: [[Float]]) -> [[Float]] {
        precondition(image.shape.n == 1 && image.shape.c == 3, "colour control needs a 1×3×H×W image")
        let values = image.scalars
        let count = image.shape.h * image.shape.w
        return matrix.map { row -> [Float] in
            let (r0, r1, r2) = (row[0], row[1], row[2])
            return (0..<count).map { i -> Float in
                let first: Float = r0 * values[i]
                return first + r1 * values[count + i] + r2 * values[2 * count + i]
            }
        }
    }

    static func image(from planes: [[Float]], through matrix: [[Float]], shape: Shape) -> Tensor {
        let count = planes[0].count
        let values = matrix.flatMap { row -> [Float] in
            let (r0, r1, r2) = (row[0], row[1], row[2])
            let (p0, p1, p2) = (planes[0], planes[1], planes[2])
            return (0..<count).map { i -> Float in
                let first: Float = r0 * p0[i]
                return first + r1 * p1[i] + r2 * p2[i]
            }
        }
        return Tensor(shape: shape, scalars: values)
    }

    private static func grey(_ luminance: [Float], like image: Tensor) -> Tensor {
        Tensor(shape: image.shape, scalars: luminance + luminance + luminance)
    }

    private static func meanAndDeviation(_ values: [Float]) -> (Float, Float) {
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        return (mean, variance.squareRoot())
    }

    private static func colourStatistics(_ image: Tensor) -> (mean: [Double], covariance: [[Double]]) {
        let channels = planes(image, through: identity).map { $0.map(Double.init) }
        let count = Double(channels[0].count)
        let mean = channels.map { $0.reduce(0, +) / count }
        // A small ridge keeps Σ^-½ finite for flat (one-colour) images.
        let covariance = (0..<3).map { a -> [Double] in
            (0..<3).map { b -> Double in
                var total = 0.0
                for (x, y) in zip(channels[a], channels[b]) { total += (x - mean[a]) * (y - mean[b]) }
                return total / count + (a == b ? 1e-5 : 0)
            }
        }
        return (mean, covariance)
    }
}

/// M^p for a symmetric positive-definite 3×3 matrix, by Jacobi eigendecomposition.
func symmetricPower(_ matrix: [[Double]], _ power: Double) -> [[Double]] {
    var a = matrix
    var vectors: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    for _ in 0..<50 {
        for (p, q) in [(0, 1), (0, 2), (1, 2)] where abs(a[p][q]) > 1e-15 {
            let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
            let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
            let (c, s) = (1 / (t * t + 1).squareRoot(), t / (t * t + 1).squareRoot())
            for k in 0..<3 {
                let (akp, akq) = (a[k][p], a[k][q])
                a[k][p] = c * akp - s * akq
                a[k][q] = s * akp + c * akq
            }
            for k in 0..<3 {
                let (apk, aqk) = (a[p][k], a[q][k])
                a[p][k] = c * apk - s * aqk
                a[q][k] = s * apk + c * aqk
            }
            for k in 0..<3 {
                let (vkp, vkq) = (vectors[k][p], vectors[k][q])
                vectors[k][p] = c * vkp - s * vkq
                vectors[k][q] = s * vkp + c * vkq
            }
        }
    }
    let powered = (0..<3).map { Foundation.pow(max(a[$0][$0], 1e-12), power) }
    return (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0) { $0 + vectors[i][$1] * powered[$1] * vectors[j][$1] } } }
}

func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0) { $0 + a[i][$1] * b[$1][j] } } }
}

func inverse3x3(_ m: [[Float]]) -> [[Float]] {
    let d = m.map { $0.map(Double.init) }
    let det = d[0][0] * (d[1][1] * d[2][2] - d[1][2] * d[2][1]) - d[0][1] * (d[1][0] * d[2][2] - d[1][2] * d[2][0])
        + d[0][2] * (d[1][0] * d[2][1] - d[1][1] * d[2][0])
    let cofactors: [[Double]] = [
        [d[1][1] * d[2][2] - d[1][2] * d[2][1], d[0][2] * d[2][1] - d[0][1] * d[2][2], d[0][1] * d[1][2] - d[0][2] * d[1][1]],
        [d[1][2] * d[2][0] - d[1][0] * d[2][2], d[0][0] * d[2][2] - d[0][2] * d[2][0], d[0][2] * d[1][0] - d[0][0] * d[1][2]],
        [d[1][0] * d[2][1] - d[1][1] * d[2][0], d[0][1] * d[2][0] - d[0][0] * d[2][1], d[0][0] * d[1][1] - d[0][1] * d[1][0]],
    ]
    return cofactors.map { $0.map { Float($0 / det) } }
}
