import Foundation
import ImpastoCore

/// `Tests/Fixtures/golden/golden.json`: reference numbers from an independent float64
/// implementation of the tutorial's algorithm.
public struct Golden: @unchecked Sendable {
    public let json: [String: Any]

    public static func load() throws -> Golden {
        let data = try Data(contentsOf: try Fixtures.file("golden/golden.json"))
        return Golden(json: try JSONSerialization.jsonObject(with: data) as! [String: Any])
    }

    /// The value at a path of keys, e.g. `["layers", "content", "block1_conv1", "mean"]`.
    public func value(_ path: String...) -> Any? { value(path) }

    public func value(_ path: [String]) -> Any? {
        path.reduce(json as Any?) { ($0 as? [String: Any])?[$1] }
    }

    public func number(_ path: String...) -> Double { (value(path) as! NSNumber).doubleValue }

    public func dictionary(_ path: String...) -> [String: Any] { value(path) as! [String: Any] }

    /// The synthetic images of `definitions`, `1 × 3 × H × W`.
    public static func contentImage() -> Tensor {
        image(height: 48, width: 64) { c, y, x in 0.5 + 0.5 * sin(0.1 * x * (c + 1) + 0.07 * y) }
    }

    public static func styleImage() -> Tensor {
        image(height: 56, width: 40) { c, y, x in 0.5 + 0.5 * cos(0.23 * y - 0.11 * x * (3 - c) + 0.9 * c) }
    }

    public static func perturbedImage() -> Tensor {
        image(height: 48, width: 64) { c, y, x in
            0.5 + 0.4 * sin(0.1 * x * (c + 1) + 0.07 * y) + 0.1 * cos(0.3 * x + 0.2 * y + c)
        }
    }

    private static func image(height: Int, width: Int, _ pixel: (Double, Double, Double) -> Double) -> Tensor {
        var values: [Float] = []
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width { values.append(Float(pixel(Double(c), Double(y), Double(x)))) }
            }
        }
        return Tensor(shape: Shape(1, 3, height, width), scalars: values)
    }
}
