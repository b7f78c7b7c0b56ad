import Foundation
import ImpastoCore
@testable import ImpastoModels
import Testing
import _TestSupport

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

@Suite("Weight file readers")
struct WeightFileTests {
    @Test(arguments: ["checkpoint-zip.pt", "checkpoint-legacy.pt"])
    func torchCheckpointsMatchWhatPyTorchSaved(_ file: String) throws {
        let arrays = try TorchCheckpoint.read(contentsOf: fixtures.appendingPathComponent(file))
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: fixtures.appendingPathComponent("checkpoint-expected.json"))) as! [String: [String: Any]]
        #expect(Set(arrays.keys) == Set(expected.keys))
        for (name, reference) in expected {
            let array = try #require(arrays[name])
            #expect(array.shape == reference["shape"] as! [Int], "\(name) shape")
            let values: [Float] = switch array.values {
            case .float32(let floats): floats
            case .float64(let doubles): doubles.map(Float.init)
            case .uint8(let bytes): bytes.map(Float.init)
            }
            // Every stored value is a float32, so narrowing the JSON's decimal gives it back exactly.
            #expect(values == (reference["values"] as! [NSNumber]).map { Float($0.doubleValue) }, "\(name) values")
        }
    }

    @Test func aTruncatedCheckpointIsReportedAsTruncated() throws {
        let bytes = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("checkpoint-legacy.pt")))
        for length in [bytes.count - 5, bytes.count / 2, 3] {
            #expect(throws: WeightFileError.truncated(path: "cut")) {
                try TorchCheckpoint.readLegacy(Array(bytes.prefix(length)), path: "cut")
            }
        }
    }

    @Test func picklesThatCallAnythingElseAreRejected() {
        // PROTO 2, GLOBAL 'os system', STOP: what a malicious checkpoint would start with.
        var reader = PickleReader(bytes: [0x80, 0x02] + Array("cos\nsystem\n.".utf8))
        #expect(throws: PickleError.disallowedGlobal("os.system")) { try reader.readRecord() }
        var unknown = PickleReader(bytes: [0x80, 0x02, UInt8(ascii: "i")])
        #expect(throws: PickleError.unsupportedOpcode(UInt8(ascii: "i"), offset: 2)) { try unknown.readRecord() }
    }

    @Test func safetensorsRoundTrip() throws {
        let url = try temporaryFile(safetensors([
            ("a", "F32", [2, 2], [1.5, -2, 0, 4].flatMap { Float($0).bitPattern.littleEndianBytes }),
            ("b", "F16", [3], [Float16(0.5), -1, 2].flatMap { $0.bitPattern.littleEndianBytes }),
            ("c", "U8", [2], [7, 9]),
        ]))
        let arrays = try Safetensors.read(contentsOf: url)
        guard case .float32(let a) = arrays["a"]?.values, case .float32(let b) = arrays["b"]?.values,
              case .uint8(let c) = arrays["c"]?.values else { Issue.record("wrong types"); return }
        #expect(a == [1.5, -2, 0, 4] && arrays["a"]?.shape == [2, 2])
        #expect(b == [0.5, -1, 2])
        #expect(c == [7, 9])
        let cut = try temporaryFile(Array(try Data(contentsOf: url).dropLast(3)))
        #expect(throws: WeightFileError.truncated(path: cut.path)) { try Safetensors.read(contentsOf: cut) }
    }

    @Test(arguments: [true, false])
    func vgg19NamingSelectsPreprocessing(_ torchvision: Bool) throws {
        var arrays: [String: WeightArray] = [:]
        for (index, layer) in VGG19.Layer.allCases.enumerated() {
            let prefix = torchvision ? "features.\(VGG19.torchvisionIndices[index])" : layer.rawValue
            let shape = [layer.outputChannels, layer.inputChannels, 3, 3]
            arrays["\(prefix).weight"] = WeightArray(shape: shape, values: .float32(Array(repeating: 0.5, count: shape.reduce(1, *))))
            arrays["\(prefix).bias"] = WeightArray(shape: [layer.outputChannels], values: .float32(Array(repeating: 0, count: layer.outputChannels)))
        }
        let network = try VGG19(weightArrays: arrays, source: "test")
        #expect(network.preprocessing == (torchvision ? .torchvision : .caffe))
        arrays.removeValue(forKey: torchvision ? "features.34.bias" : "block5_conv4.bias")
        #expect(throws: WeightFileError.self) { try VGG19(weightArrays: arrays, source: "test") }
    }

    @Test func layerNamesAcceptAliases() {
        #expect(VGG19.Layer(name: "relu4_2") == .block4_conv2)
        #expect(VGG19.Layer(name: "conv1_1") == .block1_conv1)
        #expect(VGG19.Layer(name: "block5_conv4") == .block5_conv4)
        #expect(VGG19.Layer(name: "relu6_1") == nil)
        #expect(VGG19.Layer(name: "pool5") == nil)
    }
}

private func safetensors(_ entries: [(name: String, dtype: String, shape: [Int], bytes: [UInt8])]) -> [UInt8] {
    var offset = 0
    var header: [String: Any] = ["__metadata__": ["format": "pt"]]
    for entry in entries {
        header[entry.name] = ["dtype": entry.dtype, "shape": entry.shape, "data_offsets": [offset, offset + entry.bytes.count]]
        offset += entry.bytes.count
    }
    let json = [UInt8](try! JSONSerialization.data(withJSONObject: header))
    return UInt64(json.count).littleEndianBytes + json + entries.flatMap(\.bytes)
}

func temporaryFile(_ bytes: [UInt8]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-test-\(UUID().uuidString)")
    try Data(bytes).write(to: url)
    return url
}

extension FixedWidthInteger {
    var littleEndianBytes: [UInt8] { withUnsafeBytes(of: littleEndian) { Array($0) } }
}
