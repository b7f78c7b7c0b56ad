import Foundation

/// How much of each of the 26-style network's styles to use: the `style_weights` input of
/// `multistyle26.onnx`, numbered 0–25 as in that vector.
///
/// Weights are relative and kept normalised to sum to 1 (`3:1,12:1` is `3:0.5,12:0.5`): the
/// network mixes its per-style norm parameters linearly, so weights summing to more than 1 would
/// exaggerate the style rather than blend it. How far to stylise is `--strength`'s job.
public struct StyleBlend: Sendable, Equatable {
    /// One weight per style, each ≥ 0, summing to 1.
    public let weights: [Float]

    /// Checks and normalises `weights`, which must hold one finite, non-negative value per
    /// style and not be all zero.
    public init(weights: [Float]) throws {
        guard weights.count == MultiStyleNetwork.styleCount else {
            throw StyleBlendError.wrongCount(weights.count)
        }
        if let bad = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw StyleBlendError.badWeight(style: bad, weights[bad].description)
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { throw StyleBlendError.allZero }
        self.weights = weights.map { $0 / total }
    }

    /// One style alone.
    public static func single(_ style: Int) throws -> StyleBlend {
        try StyleBlend(parts: [(style, 1)])
    }

    /// `19` (one style) or `3:0.5,12:0.5` (styles and their weights; a style without a weight
    /// counts 1), as `--builtin` takes it.
    public init(parsing text: String) throws {
        var parts: [(style: Int, weight: Float)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let fields = item.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(fields.count), let style = Int(fields[0].trimmingCharacters(in: .whitespaces)) else {
                throw StyleBlendError.unreadable(String(item))
            }
            guard fields.count == 2 else {
                parts.append((style, 1))
                continue
            }
            guard let weight = Float(fields[1].trimmingCharacters(in: .whitespaces)) else {
                throw StyleBlendError.unreadable(String(item))
            }
            parts.append((style, weight))
        }
        try self.init(parts: parts)
    }

    private init(parts: [(style: Int, weight: Float)]) throws {
        var weights = [Float](repeating: 0, count: MultiStyleNetwork.styleCount)
        var seen = Set<Int>()
        for (style, weight) in parts {
            guard weights.indices.contains(style) else { throw StyleBlendError.noSuchStyle(style) }
            guard seen.insert(style).inserted else { throw StyleBlendError.repeated(style) }
            guard weight.isFinite, weight >= 0 else { throw StyleBlendError.badWeight(style: style, weight.description) }
            weights[style] = weight
        }
        try self.init(weights: weights)
    }
}

/// Why a text or a list of weights is not a `StyleBlend`; each says what is allowed.
public enum StyleBlendError: Error, CustomStringConvertible, Equatable {
    case unreadable(String)
    case noSuchStyle(Int)
    case repeated(Int)
    case badWeight(style: Int, String)
    case allZero
    case wrongCount(Int)

    public var description: String {
        let last = MultiStyleNetwork.styleCount - 1
        return switch self {
        case .unreadable(let item): "'\(item)' is not a style number 0–\(last) or style:weight (e.g. 19 or 3:0.5,12:0.5)"
        case .noSuchStyle(let style): "has no style \(style); the styles are 0–\(last)"
        case .repeated(let style): "names style \(style) twice"
        case .badWeight(let style, let weight): "gives style \(style) the weight \(weight); weights must be ≥ 0"
        case .allZero: "gives every style the weight 0"
        case .wrongCount(let count): "has \(count) weights; the network has \(MultiStyleNetwork.styleCount) styles"
        }
    }
}
