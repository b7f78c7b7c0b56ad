import Foundation
import ImpastoCore
import ImpastoModels

/// Adam as Keras implements it, the variant the reference tutorial runs.
///
/// Keras adds ε to √v without bias-correcting it (the "epsilon hat" of Kingma & Ba §2), so with
/// the tutorial's ε = 0.1 it differs markedly from PyTorch's Adam:
///
///     m ← m + (g − m)(1 − β₁);  v ← v + (g² − v)(1 − β₂)
///     α = lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ);  x ← x − α · m / (√v + ε)
public struct Adam: Sendable, Codable, Equatable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Updates taken so far.
    public private(set) var step = 0
    private var m: [Float] = []
    private var v: [Float] = []

    public init(learningRate: Float = 0.02, beta1: Float = 0.99, beta2: Float = 0.999, epsilon: Float = 0.1) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Applies one update to `parameter` (NCHW) given its gradient (NCHW).
    public mutating func update(_ parameter: inout Tensor, gradient: Tensor) {
        precondition(parameter.shape == gradient.shape && parameter.layout == .nchw && gradient.layout == .nchw,
                     "Adam needs an NCHW parameter and gradient of one shape")
        let count = parameter.shape.count
        if m.isEmpty {
            m = Array(repeating: 0, count: count)
            v = Array(repeating: 0, count: count)
        }
        step += 1
        let t = Double(step)
        let alpha = Float(Double(learningRate) * (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t)))
        let (keep1, keep2, epsilon) = (1 - beta1, 1 - beta2, epsilon)
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { x in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        for i in 0..<count {
                            m[i] += (g[i] - m[i]) * keep1
                            v[i] += (g[i] * g[i] - v[i]) * keep2
                            x[i] -= alpha * m[i] / (v[i].squareRoot() + epsilon)
                        }
                    }
                }
            }
        }
    }
}

extension Adam {
    /// Saves the moments and step count under `prefix`, exactly.
    public func archive(into archive: inout StateArchive, prefix: String) {
        archive.set(prefix + "learning_rate", learningRate)
        archive.set(prefix + "beta1", beta1)
        archive.set(prefix + "beta2", beta2)
        archive.set(prefix + "epsilon", epsilon)
        archive.set(prefix + "step", step)
        archive.set(prefix + "m", floats: m)
        archive.set(prefix + "v", floats: v)
    }

    public init(from archive: StateArchive, prefix: String) throws {
        self.init(learningRate: try archive.value(prefix + "learning_rate"), beta1: try archive.value(prefix + "beta1"),
                  beta2: try archive.value(prefix + "beta2"), epsilon: try archive.value(prefix + "epsilon"))
        step = try archive.value(prefix + "step")
        m = try archive.floats(prefix + "m")
        v = try archive.floats(prefix + "v")
    }
}
