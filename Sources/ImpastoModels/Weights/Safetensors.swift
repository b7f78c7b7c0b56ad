import Foundation

/// `.safetensors` files: an 8-byte little-endian header length, a JSON header mapping each
/// name to its dtype, shape and byte range (plus an optional `__metadata__` map of strings),
/// then the raw little-endian data. Impasto reads weights from them and writes its model and
/// checkpoint files in the format.
public enum Safetensors {
    private struct Entry: Codable {
        var dtype: String
        var shape: [Int]
        var data_offsets: [Int]
    }

    public static func read(contentsOf url: URL) throws -> [String: WeightArray] {
        try readFile(contentsOf: url).arrays
    }

    /// The arrays and the `__metadata__` strings.
    public static func readFile(contentsOf url: URL) throws -> (arrays: [String: WeightArray], metadata: [String: String]) {
        let path = url.path
        let bytes = try readBytes(of: url)
        guard bytes.count >= 8 else { throw WeightFileError.truncated(path: path) }
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        // Compared without adding to it: a lying length near Int.max would overflow `8 + headerLength`.
        guard headerLength > 0, headerLength <= bytes.count - 8 else { throw WeightFileError.truncated(path: path) }
        let header: [String: Entry]
        let metadata: [String: String]
        do {
            var json = try JSONSerialization.jsonObject(with: Data(bytes[8..<8 + headerLength])) as? [String: Any] ?? [:]
            metadata = json.removeValue(forKey: "__metadata__") as? [String: String] ?? [:]
            header = try JSONDecoder().decode([String: Entry].self, from: JSONSerialization.data(withJSONObject: json))
        } catch {
            throw WeightFileError.unrecognised(path: path, reason: "unreadable safetensors header")
        }
        let data = bytes[(8 + headerLength)...]
        var arrays: [String: WeightArray] = [:]
        for (name, entry) in header {
            arrays[name] = try array(entry, data: data, path: path, name: name)
        }
        return (arrays, metadata)
    }

    /// Writes `arrays` (Float32, Float64 or UInt8) and `metadata` to `url` atomically: a
    /// temporary file in the same folder, renamed over the destination once complete.
    public static func write(_ arrays: [String: WeightArray], metadata: [String: String] = [:], to url: URL) throws {
        var header: [String: Any] = [:]
        var offset = 0
        let names = arrays.keys.sorted()
        for name in names {
            let array = arrays[name]!
            let size = array.byteCount
            header[name] = ["dtype": array.dtype, "shape": array.shape, "data_offsets": [offset, offset + size]]
            offset += size
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Data starts 8-byte aligned, as the format recommends.
        headerBytes.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - (8 + headerBytes.count) % 8) % 8))
        try writeAtomically(to: url) { handle in
            handle.write(withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { Data($0) })
            handle.write(headerBytes)
            for name in names { handle.write(arrays[name]!.littleEndianData) }
        }
    }

    private static func array(_ entry: Entry, data: ArraySlice<UInt8>, path: String, name: String) throws -> WeightArray {
        guard entry.data_offsets.count == 2 else {
            throw WeightFileError.unrecognised(path: path, reason: "\(name) has no byte range")
        }
        let (first, last) = (entry.data_offsets[0], entry.data_offsets[1])
        guard 0 <= first, first <= last, last <= data.count else { throw WeightFileError.truncated(path: path) }
        let raw = data[(data.startIndex + first)..<(data.startIndex + last)]
        guard let count = elementCount(entry.shape) else {
            throw WeightFileError.unrecognised(path: path, reason: "\(name) has the impossible shape \(entry.shape)")
        }
        let values: WeightArray.Values
        switch entry.dtype {
        case "F32" where raw.count == count * 4:
            values = .float32(littleEndianValues(raw, count: count))
        case "F64" where raw.count == count * 8:
            values = .float64(littleEndianValues(raw, count: count))
        case "F16" where raw.count == count * 2:
            values = .float32(littleEndianValues(raw, count: count).map { (bits: UInt16) in Float(Float16(bitPattern: bits)) })
        case "BF16" where raw.count == count * 2:
            values = .float32(littleEndianValues(raw, count: count).map { (bits: UInt16) in
                Float(bitPattern: UInt32(bits) << 16)
            })
        case "U8" where raw.count == count:
            values = .uint8(Array(raw))
        case "F32", "F64", "F16", "BF16", "U8":
            throw WeightFileError.unrecognised(path: path, reason: "\(name): byte range does not fit its shape")
        default:
            throw WeightFileError.unrecognised(path: path,
                                               reason: "\(name) has dtype \(entry.dtype); Impasto reads F32, F64, F16, BF16 and U8")
        }
        return WeightArray(shape: entry.shape, values: values)
    }
}

#if !_endian(little)
#error("Impasto writes its files straight from memory and assumes a little-endian host")
#endif

/// `count` little-endian values of T copied out of `raw`.
private func littleEndianValues<T: FixedWidthInteger>(_ raw: ArraySlice<UInt8>, count: Int) -> [T] {
    var result = [T](repeating: 0, count: count)
    result.withUnsafeMutableBytes { target in raw.withUnsafeBytes { target.copyMemory(from: $0) } }
    return result.map { T(littleEndian: $0) }
}

private func littleEndianValues(_ raw: ArraySlice<UInt8>, count: Int) -> [Float] {
    (littleEndianValues(raw, count: count) as [UInt32]).map(Float.init(bitPattern:))
}

private func littleEndianValues(_ raw: ArraySlice<UInt8>, count: Int) -> [Double] {
    (littleEndianValues(raw, count: count) as [UInt64]).map(Double.init(bitPattern:))
}

extension WeightArray {
    var dtype: String {
        switch values {
        case .float32: "F32"
        case .float64: "F64"
        case .uint8: "U8"
        }
    }

    var byteCount: Int {
        switch values {
        case .float32(let values): values.count * 4
        case .float64(let values): values.count * 8
        case .uint8(let values): values.count
        }
    }

    var littleEndianData: Data {
        switch values {
        case .float32(let values): values.withUnsafeBytes { Data($0) }
        case .float64(let values): values.withUnsafeBytes { Data($0) }
        case .uint8(let values): Data(values)
        }
    }
}

/// Writes a file through `body` into a temporary sibling, then renames it into place, so the
/// destination holds either the old file or the complete new one.
public func writeAtomically(to url: URL, _ body: (FileHandle) throws -> Void) throws {
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).partial")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
          let handle = FileHandle(forWritingAtPath: temporary.path)
    else { throw WeightFileError.unwritable(path: url.path, reason: "cannot create \(temporary.lastPathComponent)") }
    do {
        try body(handle)
        try handle.synchronize()
        try handle.close()
        guard rename(temporary.path, url.path) == 0 else {
            throw WeightFileError.unwritable(path: url.path, reason: String(cString: strerror(errno)))
        }
    } catch {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
        throw error
    }
}
