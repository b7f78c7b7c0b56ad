import Foundation
import Yams

/// `--config FILE`: a JSON or YAML mapping whose keys are a command's flags without the dashes
/// (`max-dim: 256`, `optimizer: lbfgs`, `quiet: true`). Lists may be written as lists wherever a
/// flag takes a comma-separated list; `content` and `style` name the positional images (`style`
/// may list several: the first is the main painting, the rest are blended in). Relative paths are
/// relative to the file's folder.
///
/// The file is turned into arguments placed before the command line's own (which keep their
/// `--config`, so the command knows the file is an input), so a flag given on the command line
/// wins: for a single-valued option ArgumentParser keeps the last value.
struct ConfigFile {
    var path: String
    var settings: [String: Any]

    /// Flags (without dashes) whose values are file paths.
    static let pathKeys: Set<String> = ["content", "style", "init", "weights", "output", "log", "save-dir"]

    /// `arguments` with every `--config FILE` replaced by the file's settings, for the subcommand
    /// at `arguments[0]` when it accepts `keys`; otherwise `arguments` unchanged.
    static func expand(_ arguments: [String], subcommand: String, keys: Set<String>,
                       booleanFlags: Set<String>) throws -> [String] {
        guard arguments.first == subcommand, let index = arguments.firstIndex(where: isConfigFlag) else {
            return arguments
        }
        let path = try configPath(arguments, at: index)
        let file = try ConfigFile(path: path)
        var own = arguments
        own.removeFirst()
        let givenPositionals = !positionals(in: own, booleanFlags: booleanFlags).isEmpty
        return [subcommand] + (try file.arguments(keys: keys, booleanFlags: booleanFlags,
                                                  skippingPositionals: givenPositionals,
                                                  skippingRepeatable: own.contains("--style"))) + own
    }

    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("--config \(path): no such file or not readable")
        }
        let text = String(decoding: data, as: UTF8.self)
        let parsed: Any?
        do {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "json": parsed = try JSONSerialization.jsonObject(with: data)
            case "yaml", "yml": parsed = try Yams.load(yaml: text)
            default: throw CommandError("--config \(path): unknown format; use .json, .yaml or .yml")
            }
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError("--config \(path): not valid \(URL(fileURLWithPath: path).pathExtension.uppercased()): "
                               + "\(String(describing: error).split(separator: "\n").first ?? "")")
        }
        guard let settings = parsed as? [String: Any] else {
            throw CommandError("--config \(path): must be a mapping of flag names to values")
        }
        self.settings = settings
    }

    /// The settings as command-line arguments: positional images first, then `--key value`.
    func arguments(keys: Set<String>, booleanFlags: Set<String>, skippingPositionals: Bool,
                   skippingRepeatable: Bool) throws -> [String] {
        var positional: [String] = []
        var options: [String] = []
        for key in settings.keys.sorted() {
            guard keys.contains(key) else {
                throw CommandError("--config \(path): unknown key '\(key)' (keys are the flags without the dashes)")
            }
            let values = try strings(for: key)
            switch key {
            case "content":
                positional.insert(contentsOf: values.prefix(1), at: 0)
            case "style":
                positional += values.prefix(1)
                if !skippingRepeatable { options += values.dropFirst().flatMap { ["--style", $0] } }
            case _ where booleanFlags.contains("--\(key)"):
                if ["true", "1", "yes"].contains(values.first?.lowercased()) { options.append("--\(key)") }
            default:
                options += ["--\(key)", values.joined(separator: ",")]
            }
        }
        if !skippingPositionals && positional.count == 1 {
            throw CommandError("--config \(path): give both 'content' and 'style', or neither")
        }
        return (skippingPositionals ? [] : positional) + options
    }

    /// A value as text: scalars as written, lists element by element, paths made absolute.
    private func strings(for key: String) throws -> [String] {
        let raw = settings[key]!
        let items = (raw as? [Any]) ?? [raw]
        return try items.map { item in
            let text = try scalarText(item, key: key)
            return Self.pathKeys.contains(key) && !["content", "noise"].contains(text) ? resolved(text) : text
        }
    }

    private func scalarText(_ item: Any, key: String) throws -> String {
        switch item {
        case let text as String: return text
        case let flag as Bool where type(of: item) == Bool.self: return String(flag)
        case let number as Int: return String(number)
        case let number as Double:
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: throw CommandError("--config \(path): '\(key)' must be a number, text, true/false or a list of those")
        }
    }

    private func resolved(_ file: String) -> String {
        if file.hasPrefix("/") { return file }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return folder.appendingPathComponent(file).standardizedFileURL.path
    }

    private static func isConfigFlag(_ argument: String) -> Bool {
        argument == "--config" || argument.hasPrefix("--config=")
    }

    private static func configPath(_ arguments: [String], at index: Int) throws -> String {
        if arguments[index].hasPrefix("--config=") { return String(arguments[index].dropFirst(9)) }
        guard index + 1 < arguments.count else { throw CommandError("--config needs a file") }
        return arguments[index + 1]
    }

    /// Arguments that are neither options nor option values.
    static func positionals(in arguments: [String], booleanFlags: Set<String>) -> [String] {
        var result: [String] = []
        var expectingValue = false
        for argument in arguments {
            if expectingValue {
                expectingValue = false
            } else if argument.hasPrefix("-") && argument.count > 1 {
                expectingValue = !argument.contains("=") && !booleanFlags.contains(argument)
            } else {
                result.append(argument)
            }
        }
        return result
    }
}
