import Foundation

/// A named array read from a weight file, in row-major order.
public struct WeightArray: Sendable {
    public enum Values: Sendable {
        case float32([Float])
        case uint8([UInt8])
    }

    public var shape: [Int]
    public var values: Values

    public init(shape: [Int], values: Values) {
        self.shape = shape
        self.values = values
    }

    public var count: Int { shape.reduce(1, *) }
}

/// Why a weight file could not be used. Each message names the file and fits on one line.
public enum WeightFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case truncated(path: String)
    case unrecognised(path: String, reason: String)
    case missingTensor(path: String, name: String)
    case wrongShape(path: String, name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the file (\(reason))"
        case .truncated(let path): "\(path): the file is truncated; fetch it again with `impasto weights fetch`"
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
