/// Why an ONNX file was refused: the file, where in it (`graph.node[12] 'conv1' (Conv)
/// .attribute 'pads'`), and what was wrong, on one line.
public struct ONNXError: Error, CustomStringConvertible, Equatable {
    public enum Problem: Equatable, Sendable {
        case truncated
        case lengthBeyondEnd(claimed: UInt64, remaining: Int)
        case malformedVarint
        case invalidFieldNumber(UInt64)
        case unknownWireType(Int)
        case unexpectedWireType(Int)
        case invalidUTF8
        case unknownField(Int)
        /// A field the format defines that Impasto does not read (external data, sparse tensors…).
        case unsupportedField(String)
        case unsupportedDataType(Int)
        case unsupportedAttributeType(Int)
        case unknownOperator(domain: String, opType: String)
        case missingField(String)
        case invalidValue(String)
        case elementCountMismatch(expected: Int, found: Int)
        case duplicateName(String)
    }

    public let file: String
    public let location: String
    public let problem: Problem

    public var description: String { "\(file): \(location): \(explanation)" }

    private var explanation: String {
        switch problem {
        case .truncated: "the file ends in the middle of a value (truncated)"
        case .lengthBeyondEnd(let claimed, let remaining):
            "a length of \(claimed) bytes runs past the \(remaining) bytes left (corrupt or truncated)"
        case .malformedVarint: "malformed varint"
        case .invalidFieldNumber(let number): "invalid field number \(number)"
        case .unknownWireType(let type): "unknown protobuf wire type \(type)"
        case .unexpectedWireType(let type): "field has the wrong wire type \(type)"
        case .invalidUTF8: "a string is not valid UTF-8"
        case .unknownField(let number): "unknown field number \(number)"
        case .unsupportedField(let name): "\(name) is not supported"
        case .unsupportedDataType(let type): "unsupported tensor element type \(type)"
        case .unsupportedAttributeType(let type): "unsupported attribute type \(type)"
        case .unknownOperator(let domain, let opType):
            "unknown operator \(domain.isEmpty ? "" : domain + ".")\(opType)"
        case .missingField(let name): "required field \(name) is missing"
        case .invalidValue(let reason): reason
        case .elementCountMismatch(let expected, let found): "holds \(found) elements, its shape needs \(expected)"
        case .duplicateName(let name): "the name \(name) is defined twice"
        }
    }

    init(file: String, location: String, problem: Problem) {
        self.file = file
        self.location = location
        self.problem = problem
    }

    init(file: String, location: String, _ error: ProtobufError) {
        let problem: Problem = switch error {
        case .truncated: .truncated
        case .lengthBeyondEnd(let claimed, let remaining): .lengthBeyondEnd(claimed: claimed, remaining: remaining)
        case .malformedVarint: .malformedVarint
        case .invalidFieldNumber(let number): .invalidFieldNumber(number)
        case .unknownWireType(let type): .unknownWireType(type)
        case .unexpectedWireType(let type): .unexpectedWireType(Int(type))
        case .invalidUTF8: .invalidUTF8
        }
        self.init(file: file, location: location, problem: problem)
    }
}
