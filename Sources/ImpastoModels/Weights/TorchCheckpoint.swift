import Foundation
import ZIPFoundation

/// Reads the tensors of a `torch.save` file without Python: the legacy format (a run of pickle
/// records followed by raw storages) and the zip format current PyTorch writes
/// (`archive/data.pkl` plus one `archive/data/KEY` entry per storage).
///
/// The top-level object must be a dict (or OrderedDict) of tensors; its keys become the names.
public enum TorchCheckpoint {
    /// The number every legacy file starts with (pickled as a LONG1 integer).
    static let legacyMagic: [UInt8] = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    public static func read(contentsOf url: URL) throws -> [String: WeightArray] {
        let bytes = try readBytes(of: url)
        if bytes.starts(with: [0x50, 0x4b, 0x03, 0x04]) { return try readZip(url) }
        return try readLegacy(bytes, path: url.path)
    }

    static func readLegacy(_ bytes: [UInt8], path: String) throws -> [String: WeightArray] {
        do {
            var reader = PickleReader(bytes: bytes)
            guard try reader.readRecord() == .bigInt(legacyMagic) else {
                throw WeightFileError.unrecognised(path: path, reason: "no PyTorch magic number")
            }
            guard try reader.readRecord() == .int(1001) else {
                throw WeightFileError.unrecognised(path: path, reason: "unknown legacy protocol version")
            }
            _ = try reader.readRecord()                      // system info: sizes, endianness
            let object = try reader.readRecord()
            guard let keys = try reader.readRecord().elements?.compactMap(\.string) else {
                throw WeightFileError.unrecognised(path: path, reason: "no storage key list")
            }
            var storages: [String: ArraySlice<UInt8>] = [:]
            var offset = reader.offset
            for key in keys {
                guard let width = storageWidth(of: key, in: object) else { continue }
                guard offset + 8 <= bytes.count else { throw WeightFileError.truncated(path: path) }
                let count = bytes[offset..<offset + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
                let end = offset + 8 + count * width
                guard count >= 0, end <= bytes.count else { throw WeightFileError.truncated(path: path) }
                storages[key] = bytes[offset + 8..<end]
                offset = end
            }
            return try arrays(in: object, storages: storages, path: path)
        } catch let error as PickleError {
            if case .truncated = error { throw WeightFileError.truncated(path: path) }
            throw WeightFileError.unrecognised(path: path, reason: error.description)
        }
    }

    static func readZip(_ url: URL) throws -> [String: WeightArray] {
        let path = url.path
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw WeightFileError.unrecognised(path: path, reason: "unreadable zip archive")
        }
        guard let pickle = archive.first(where: { $0.path.hasSuffix("data.pkl") }) else {
            throw WeightFileError.unrecognised(path: path, reason: "zip without data.pkl")
        }
        let prefix = String(pickle.path.dropLast("data.pkl".count))
        do {
            var reader = PickleReader(bytes: try extract(pickle, from: archive, path: path))
            let object = try reader.readRecord()
            var storages: [String: ArraySlice<UInt8>] = [:]
            for key in storageKeys(in: object) {
                guard let entry = archive["\(prefix)data/\(key)"] else { throw WeightFileError.truncated(path: path) }
                storages[key] = try extract(entry, from: archive, path: path)[...]
            }
            return try arrays(in: object, storages: storages, path: path)
        } catch let error as PickleError {
            throw WeightFileError.unrecognised(path: path, reason: error.description)
        }
    }

    private static func extract(_ entry: Entry, from archive: Archive, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            _ = try archive.extract(entry, skipCRC32: false) { bytes.append(contentsOf: $0) }
        } catch {
            throw WeightFileError.truncated(path: path)
        }
        return bytes
    }

    // MARK: Turning tensor references into arrays

    private static func tensors(in object: PickleValue, path: String) throws -> [(String, TensorReference)] {
        guard case .dictionary(let entries) = object else {
            throw WeightFileError.unrecognised(path: path, reason: "the saved object is not a dict of tensors")
        }
        return entries.compactMap { entry in
            guard let name = entry.key.string, case .tensor(let tensor) = entry.value else { return nil }
            return (name, tensor)
        }
    }

    private static func storageKeys(in object: PickleValue) -> Set<String> {
        Set(((try? tensors(in: object, path: "")) ?? []).map(\.1.storage.key))
    }

    private static func storageWidth(of key: String, in object: PickleValue) -> Int? {
        ((try? tensors(in: object, path: "")) ?? []).first { $0.1.storage.key == key }?.1.storage.type.byteWidth
    }

    private static func arrays(in object: PickleValue, storages: [String: ArraySlice<UInt8>],
                               path: String) throws -> [String: WeightArray] {
        var result: [String: WeightArray] = [:]
        for (name, tensor) in try tensors(in: object, path: path) {
            guard let raw = storages[tensor.storage.key] else { throw WeightFileError.truncated(path: path) }
            result[name] = try array(tensor, raw: raw, path: path)
        }
        return result
    }

    /// Gathers a (possibly strided) view of a storage into a row-major array.
    private static func array(_ tensor: TensorReference, raw: ArraySlice<UInt8>, path: String) throws -> WeightArray {
        guard let count = elementCount(tensor.shape) else {
            throw WeightFileError.unrecognised(path: path, reason: "a tensor has the impossible shape \(tensor.shape)")
        }
        // The storage's claimed size against its bytes, then the view against the storage, all
        // before an index list is built: a lying header must not trap or allocate terabytes.
        let width = tensor.storage.type.byteWidth
        guard raw.count % width == 0, raw.count / width == tensor.storage.count, count <= tensor.storage.count,
              count == 0 || Self.lastElement(of: tensor).map({ $0 < tensor.storage.count }) == true
        else { throw WeightFileError.truncated(path: path) }
        let indices = elementIndices(shape: tensor.shape, strides: tensor.strides, offset: tensor.offset)
        let base = raw.startIndex
        func littleEndian(_ element: Int) -> UInt64 {
            (0..<width).reversed().reduce(0) { $0 << 8 | UInt64(raw[base + element * width + $1]) }
        }
        switch tensor.storage.type {
        case .uint8:
            return WeightArray(shape: tensor.shape, values: .uint8(indices.map { raw[base + $0] }))
        case .float32:
            return WeightArray(shape: tensor.shape,
                               values: .float32(indices.map { Float(bitPattern: UInt32(littleEndian($0))) }))
        case .float16:
            return WeightArray(shape: tensor.shape,
                               values: .float32(indices.map { Float(Float16(bitPattern: UInt16(littleEndian($0)))) }))
        case .int64:
            throw WeightFileError.unrecognised(path: path, reason: "integer tensor of \(count) elements where weights belong")
        }
    }

    /// Storage element indices of a view in row-major order.
    /// The storage index of a view's last element, or nil when its offset or strides are
    /// negative or the arithmetic overflows: checked before any index list is built from them.
    private static func lastElement(of tensor: TensorReference) -> Int? {
        guard tensor.offset >= 0, tensor.strides.count == tensor.shape.count else { return nil }
        var last = tensor.offset
        for (size, stride) in zip(tensor.shape, tensor.strides) where size > 0 {
            let (step, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, overflowAgain) = last.addingReportingOverflow(step)
            guard stride >= 0, !overflow, !overflowAgain else { return nil }
            last = sum
        }
        return last
    }

    private static func elementIndices(shape: [Int], strides: [Int], offset: Int) -> [Int] {
        let rowMajor = shape.indices.map { shape[($0 + 1)...].reduce(1, *) }
        if zip(shape, zip(strides, rowMajor)).allSatisfy({ $0 == 1 || $1.0 == $1.1 }) {
            return Array(offset..<offset + shape.reduce(1, *))
        }
        var indices = [offset]
        for (size, stride) in zip(shape, strides) {
            indices = indices.flatMap { start in (0..<size).map { start + $0 * stride } }
        }
        return indices
    }
}
