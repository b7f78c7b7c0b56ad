import Foundation

/// Reads `.safetensors` files: an 8-byte little-endian header length, a JSON header mapping
/// each name to its dtype, shape and byte range, then the raw little-endian data.
public enum Safetensors {
    private struct Entry: Decodable {
        var dtype: String
        var shape: [Int]
        var data_offsets: [Int]
    }

    public static func read(contentsOf url: URL) throws -> [String: WeightArray] {
        let path = url.path
        let bytes = try readBytes(of: url)
        guard bytes.count >= 8 else { throw WeightFileError.truncated(path: path) }
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard headerLength > 0, 8 + headerLength <= bytes.count else { throw WeightFileError.truncated(path: path) }
        let header: [String: Entry]
        do {
            var json = try JSONSerialization.jsonObject(with: Data(bytes[8..<8 + headerLength])) as? [String: Any] ?? [:]
            json.removeValue(forKey: "__metadata__")
            header = try JSONDecoder().decode([String: Entry].self, from: JSONSerialization.data(withJSONObject: json))
        } catch {
            throw WeightFileError.unrecognised(path: path, reason: "unreadable safetensors header")
        }
        let data = bytes[(8 + headerLength)...]
        var result: [String: WeightArray] = [:]
        for (name, entry) in header {
            result[name] = try array(entry, data: data, path: path, name: name)
        }
        return result
    }

    private static func array(_ entry: Entry, data: ArraySlice<UInt8>, path: String, name: String) throws -> WeightArray {
        guard entry.data_offsets.count == 2 else {
            throw WeightFileError.unrecognised(path: path, reason: "\(name) has no byte range")
        }
        let (start, end) = (data.startIndex + entry.data_offsets[0], data.startIndex + entry.data_offsets[1])
        guard start <= end, end <= data.endIndex else { throw WeightFileError.truncated(path: path) }
        let raw = data[start..<end]
        let count = entry.shape.reduce(1, *)
        func word(_ index: Int, width: Int) -> UInt32 {
            (0..<width).reversed().reduce(0) { $0 << 8 | UInt32(raw[start + index * width + $1]) }
        }
        let values: WeightArray.Values
        switch entry.dtype {
        case "F32" where raw.count == count * 4:
            values = .float32((0..<count).map { Float(bitPattern: word($0, width: 4)) })
        case "F16" where raw.count == count * 2:
            values = .float32((0..<count).map { Float(Float16(bitPattern: UInt16(word($0, width: 2)))) })
        case "BF16" where raw.count == count * 2:
            values = .float32((0..<count).map { Float(bitPattern: word($0, width: 2) << 16) })
        case "U8" where raw.count == count:
            values = .uint8(Array(raw))
        case "F32", "F16", "BF16", "U8":
            throw WeightFileError.unrecognised(path: path, reason: "\(name): byte range does not fit its shape")
        default:
            throw WeightFileError.unrecognised(path: path, reason: "\(name) has dtype \(entry.dtype); Impasto reads F32, F16, BF16 and U8")
        }
        return WeightArray(shape: entry.shape, values: values)
    }
}
