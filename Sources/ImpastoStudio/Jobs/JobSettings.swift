import Foundation
import ImpastoModels

/// A style the page can pick: one of the 26 built-in ones, or an uploaded painting.
/// JSON: `{"builtin": 3}` or `{"painting": "<image id>"}`.
enum StyleChoice: Codable, Sendable, Equatable, Hashable {
    case builtin(Int)
    case painting(String)

    private enum CodingKeys: String, CodingKey { case builtin, painting }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let index = try container.decodeIfPresent(Int.self, forKey: .builtin) {
            self = .builtin(index)
        } else if let id = try container.decodeIfPresent(String.self, forKey: .painting) {
            self = .painting(id)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a style is {\"builtin\": N} or {\"painting\": ID}"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .builtin(let index): try container.encode(index, forKey: .builtin)
        case .painting(let id): try container.encode(id, forKey: .painting)
        }
    }
}

/// How a job paints: the optimisation (slow, best), or a one-pass network at full size.
enum JobMethod: String, Codable, Sendable {
    case gatys, instant
}

/// What the page asks a job to do; kept with the job so the history can show and repeat it.
struct JobSettings: Codable, Sendable, Equatable {
    var method: JobMethod
    var photo: String
    var style: StyleChoice
    /// The result's longer side (never larger than the photo).
    var size: Int?
    /// Gatys: optimiser steps (the recommended L-BFGS run stops sooner once the loss settles).
    var steps: Int?
    /// Instant: 0 is the photo, 1 the network's full style.
    var strength: Float?
    var preserveColors: Bool?
    var seed: UInt64?

    static let gatysDefaultSize = 512
    static let gatysDefaultSteps = 150
    static let instantDefaultSize = 2048
    static let gatysLargestSize = 1024

    var effectiveSize: Int { size ?? (method == .gatys ? Self.gatysDefaultSize : Self.instantDefaultSize) }
    var effectiveSteps: Int { steps ?? Self.gatysDefaultSteps }
    var effectiveStrength: Float { strength ?? 1 }
    var effectiveSeed: UInt64 { seed ?? 0 }

    /// Throws the first setting that cannot work, as the page should show it.
    func validate() throws(StudioError) {
        if method == .gatys, case .builtin = style {
            throw .badRequest("builtin_style_needs_instant",
                              "the built-in styles have no painting to optimise towards; pick a painting for Gatys, or use instant")
        }
        if case .builtin(let index) = style, !(0..<MultiStyleNetwork.styleCount).contains(index) {
            throw .badRequest("unknown_style", "built-in styles are numbered 0–\(MultiStyleNetwork.styleCount - 1), not \(index)")
        }
        // Gatys keeps VGG19's activations and their gradients: 1024 pixels take a few gigabytes.
        let largest = method == .gatys ? Self.gatysLargestSize : 4096
        if let size, !(64...largest).contains(size) {
            throw .badRequest("bad_size", "size must be 64–\(largest) pixels for \(method.rawValue), not \(size)")
        }
        if let steps, !(1...2000).contains(steps) {
            throw .badRequest("bad_steps", "steps must be 1–2000, not \(steps)")
        }
        if let strength, !(0...1).contains(strength) {
            throw .badRequest("bad_strength", "strength must be 0–1, not \(strength)")
        }
    }
}
