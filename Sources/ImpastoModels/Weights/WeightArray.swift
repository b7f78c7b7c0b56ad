import Foundation

/// A named array of a weight or state file, in row-major order.
public struct WeightArray: Sendable {
    public enum Values: Sendable {
        case float32([Float])
        case float64([Double])
        case uint8([UInt8])
    }

    public var shape: [Int]
    public var values: Values

    public init(shape: [Int], values: Values) {
        self.shape = shape
        self.values = values
    }

    public init(shape: [Int], _ values: [Float]) {
        self.init(shape: shape, values: .float32(values))
    }

    public var count: Int { shape.reduce(1, *) }

    /// The values as Float32, or nil for other types.
    public var floats: [Float]? {
        if case .float32(let values) = values { return values }
        return nil
    }

    /// The values as Float64, or nil for other types.
    public var doubles: [Double]? {
        if case .float64(let values) = values { return values }
        return nil
    }
}

/// Why a weight file could not be used. Each message names the file and fits on one line.
public enum WeightFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case truncated(path: String)
    case unrecognised(path: String, reason: String)
    case missingTensor(path: String, name: String)
    case wrongShape(path: String, name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the file (\(reason))"
        case .unwritable(let path, let reason): "\(path): cannot write the file (\(reason))"
        // No advice to fetch again: the cached weights are checked by SHA-256 before they are
        // read (and fetched again when they fail), so a file that gets here is the user's own.
        case .truncated(let path): "\(path): the file is damaged or not a weight file (its sizes point past its end)"
        case .unrecognised(let path, let reason): "\(path): not a weight file Impasto can read (\(reason))"
        case .missingTensor(let path, let name): "\(path): has no tensor named \(name)"
        case .wrongShape(let path, let name, let expected, let found):
            "\(path): \(name) has shape \(found), expected \(expected)"
        }
    }
}

func readBytes(of url: URL) throws -> [UInt8] {
    do {
        return [UInt8](try Data(contentsOf: url, options: .mappedIfSafe))
    } catch {
        throw WeightFileError.unreadable(path: url.path, reason: (error as NSError).localizedDescription)
    }
}

/// The number of elements of `shape`, or nil when a dimension is negative or the product passes
/// 2⁴⁰ (a file claiming such a shape is lying; multiplying its numbers unchecked would trap).
func elementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for dimension in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
        guard dimension >= 0, !overflow, product <= 1 << 40 else { return nil }
        count = product
    }
    return count
}
