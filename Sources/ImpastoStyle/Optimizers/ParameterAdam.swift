import Foundation
import ImpastoCore
import ImpastoModels

/// Adam for a network's named parameters, in PyTorch's form (`torch.optim.Adam`, the one the
/// fast-style papers' code trains with): bias-corrected moments, ε added outside the root.
///
///     m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
///     p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
public struct ParameterAdam: Sendable {
    public var learningRate: Float
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public private(set) var step = 0
    private var moments: [String: (m: [Float], v: [Float])] = [:]

    public init(learningRate: Float) {
        self.learningRate = learningRate
    }

    /// Updates every parameter that has a gradient (both NCHW-shaped as the parameter).
    public mutating func update(_ parameters: inout [String: Tensor], gradients: [String: Tensor]) {
        step += 1
        let t = Double(step)
        let correction1 = Float(1 - pow(Double(beta1), t))
        let correction2 = Float((1 - pow(Double(beta2), t)).squareRoot())
        let (b1, b2, lr, eps) = (beta1, beta2, learningRate, epsilon)
        for name in parameters.keys.sorted() {
            guard let gradient = gradients[name]?.laidOut(as: .nchw) else { continue }
            var parameter = parameters[name]!.laidOut(as: .nchw).detached()
            var (m, v) = moments[name] ?? ([Float](repeating: 0, count: parameter.shape.count),
                                           [Float](repeating: 0, count: parameter.shape.count))
            gradient.withUnsafeBufferPointer { g in
                parameter.withUnsafeMutableBufferPointer { p in
                    for i in p.indices {
                        m[i] = b1 * m[i] + (1 - b1) * g[i]
                        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                        p[i] -= lr * (m[i] / correction1) / (v[i].squareRoot() / correction2 + eps)
                    }
                }
            }
            moments[name] = (m, v)
            parameters[name] = parameter
        }
    }

    public func archive(into archive: inout StateArchive, prefix: String) {
        archive.set(prefix + "learning_rate", learningRate)
        archive.set(prefix + "step", step)
        for (name, moment) in moments {
            archive.set(prefix + "m." + name, floats: moment.m)
            archive.set(prefix + "v." + name, floats: moment.v)
        }
    }

    public init(from archive: StateArchive, prefix: String) throws {
        self.init(learningRate: try archive.value(prefix + "learning_rate"))
        step = try archive.value(prefix + "step")
        for key in archive.arrays.keys where key.hasPrefix(prefix + "m.") {
            let name = String(key.dropFirst(prefix.count + 2))
            moments[name] = (try archive.floats(key), try archive.floats(prefix + "v." + name))
        }
    }
}
