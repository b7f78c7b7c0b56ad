import Foundation

/// Named arrays and scalars that restore an object exactly (optimiser states, checkpoints),
/// stored as a safetensors file: arrays as F32/F64 tensors, scalars in the metadata as their
/// shortest text that reads back to the same bits.
public struct StateArchive: Sendable {
    public var arrays: [String: WeightArray] = [:]
    public var metadata: [String: String] = [:]
    /// Where the archive was read from, for error messages.
    public var path = "checkpoint"

    public init() {}

    public static func read(contentsOf url: URL) throws -> StateArchive {
        var archive = StateArchive()
        (archive.arrays, archive.metadata) = try Safetensors.readFile(contentsOf: url)
        archive.path = url.path
        return archive
    }

    /// Writes atomically (temporary file, then rename).
    public func write(to url: URL) throws {
        try Safetensors.write(arrays, metadata: metadata, to: url)
    }

    public mutating func set(_ key: String, floats: [Float], shape: [Int]? = nil) {
        arrays[key] = WeightArray(shape: shape ?? [floats.count], values: .float32(floats))
    }

    public mutating func set(_ key: String, doubles: [Double]) {
        arrays[key] = WeightArray(shape: [doubles.count], values: .float64(doubles))
    }

    public mutating func set(_ key: String, _ value: some LosslessStringConvertible) {
        metadata[key] = value.description
    }

    public mutating func set(_ key: String, json value: some Encodable) throws {
        metadata[key] = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    public func contains(_ key: String) -> Bool { arrays[key] != nil || metadata[key] != nil }

    public func floats(_ key: String) throws -> [Float] {
        guard let array = arrays[key] else { throw WeightFileError.missingTensor(path: path, name: key) }
        guard let values = array.floats else { throw wrongType(key, "F32") }
        return values
    }

    public func doubles(_ key: String) throws -> [Double] {
        guard let array = arrays[key] else { throw WeightFileError.missingTensor(path: path, name: key) }
        guard let values = array.doubles else { throw wrongType(key, "F64") }
        return values
    }

    public func shape(_ key: String) throws -> [Int] {
        guard let array = arrays[key] else { throw WeightFileError.missingTensor(path: path, name: key) }
        return array.shape
    }

    public func value<T: LosslessStringConvertible>(_ key: String, as type: T.Type = T.self) throws -> T {
        guard let text = metadata[key] else { throw WeightFileError.missingTensor(path: path, name: key) }
        guard let value = T(text) else {
            throw WeightFileError.unrecognised(path: path, reason: "\(key) is '\(text)', not a \(T.self)")
        }
        return value
    }

    public func decoded<T: Decodable>(_ key: String, as type: T.Type = T.self) throws -> T {
        guard let text = metadata[key] else { throw WeightFileError.missingTensor(path: path, name: key) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw WeightFileError.unrecognised(path: path, reason: "\(key) is not a valid \(T.self)")
        }
    }

    private func wrongType(_ key: String, _ expected: String) -> WeightFileError {
        .unrecognised(path: path, reason: "\(key) is not \(expected)")
    }
}
