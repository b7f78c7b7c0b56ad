import Foundation
import Yams

/// What `--config` needs to know of a command: its name, the keys a file may hold (its flags
/// without the dashes), the keys that name its positional arguments in order, and its flags
/// that take no value.
struct ConfigurableCommand {
    var name: String
    var keys: Set<String>
    /// Positional keys in order. A list under the last one fills its later places too, except
    /// where `extraValuesFlag` names the repeatable flag that takes them (stylize's `--style`).
    var positionalKeys: [String]
    var extraValuesFlag: String? = nil
    /// Keys of options given once per value (`--style-image`): a list becomes that many flags.
    var repeatableKeys: Set<String> = []
    var booleanFlags: Set<String> = ["--quiet", "--help", "-h"]
}

/// `--config FILE`: a JSON or YAML mapping whose keys are a command's flags without the dashes
/// (`max-dim: 256`, `optimizer: lbfgs`, `quiet: true`), for every command that does work. Lists
/// may be written as lists wherever a flag takes a comma-separated list; the positional
/// arguments have keys of their own (`content` and `style` for stylize, where `style` may list
/// several: the first is the main painting, the rest are blended in). Relative paths are relative
/// to the file's folder.
///
/// The file is turned into arguments placed before the command line's own (which keep their
/// `--config`, so the command knows the file is an input), so a flag given on the command line
/// wins: for a single-valued option ArgumentParser keeps the last value.
struct ConfigFile {
    var path: String
    var settings: [String: Any]

    /// Keys whose values are file paths.
    static let pathKeys: Set<String> = ["content", "style", "init", "weights", "output", "log", "save-dir", "checkpoint",
                                        "resume", "model", "input", "inputs", "dataset", "style-image", "report"]

    /// `arguments` with `--config FILE` replaced by the file's settings, when `arguments[0]` is
    /// one of `commands`; otherwise `arguments` unchanged.
    static func expand(_ arguments: [String], commands: [ConfigurableCommand]) throws -> [String] {
        guard let command = commands.first(where: { $0.name == arguments.first }),
              let index = arguments.firstIndex(where: isConfigFlag) else {
            return arguments
        }
        let path = try configPath(arguments, at: index)
        let file = try ConfigFile(path: path)
        var own = arguments
        own.removeFirst()
        let givenPositionals = !positionals(in: own, booleanFlags: command.booleanFlags).isEmpty
        let skipExtra = command.extraValuesFlag.map(own.contains) ?? false
        return [command.name] + (try file.arguments(for: command, skippingPositionals: givenPositionals,
                                                    skippingExtraValues: skipExtra)) + own
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
            case "yaml", "yml":
                try Self.checkSize(of: try Yams.compose(yaml: text), path: path)
                parsed = try Yams.load(yaml: text)
            default: throw CommandError("--config \(path): unknown format; use .json, .yaml or .yml")
            }
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError("--config \(path): not valid \(URL(fileURLWithPath: path).pathExtension.uppercased()): "
                               + Self.reason(error))
        }
        guard let settings = parsed as? [String: Any] else {
            throw CommandError("--config \(path): must be a mapping of flag names to values")
        }
        self.settings = settings
    }

    /// A parser's error in one line: Foundation's JSON errors carry their reason in
    /// `NSDebugDescription`, behind a domain and code that mean nothing to a user.
    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        let text = nsError.userInfo["NSDebugDescription"] as? String ?? String(describing: error)
        return String(text.split(separator: "\n").first ?? "")
    }

    /// The settings as command-line arguments: positional values first, then `--key value`.
    func arguments(for command: ConfigurableCommand, skippingPositionals: Bool,
                   skippingExtraValues: Bool) throws -> [String] {
        var positional: [String] = []
        var options: [String] = []
        for key in settings.keys.sorted() {
            guard command.keys.contains(key) || command.positionalKeys.contains(key) else {
                throw CommandError("--config \(path): unknown key '\(key.debugDescription.dropFirst().dropLast())' "
                                   + "(keys are the flags without the dashes)")
            }
            guard !command.positionalKeys.contains(key) else { continue }
            let values = try strings(for: key)
            if command.booleanFlags.contains("--\(key)") {
                if ["true", "1", "yes"].contains(values.first?.lowercased()) { options.append("--\(key)") }
            } else if command.repeatableKeys.contains(key) {
                options += values.flatMap { ["--\(key)", $0] }
            } else {
                options += ["--\(key)", values.joined(separator: ",")]
            }
        }
        let given = command.positionalKeys.filter { settings[$0] != nil }
        for key in given {
            let values = try strings(for: key)
            if key == command.positionalKeys.last, let flag = command.extraValuesFlag {
                positional += values.prefix(1)
                if !skippingExtraValues { options += values.dropFirst().flatMap { [flag, $0] } }
            } else {
                positional += key == command.positionalKeys.last ? values : Array(values.prefix(1))
            }
        }
        if !skippingPositionals && !given.isEmpty && given.count < command.positionalKeys.count {
            let names = command.positionalKeys.map { "'\($0)'" }.joined(separator: " and ")
            throw CommandError("--config \(path): give \(names), or none of them")
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

    /// The most values a settings file may expand to: far more than any command has flags.
    static let maximumValues = 10_000

    /// Refuses aliases and documents that expand past `maximumValues`, before anything is built
    /// from them: ten lines of nested YAML aliases expand to gigabytes ("billion laughs").
    private static func checkSize(of root: Node?, path: String) throws {
        var budget = maximumValues
        func visit(_ node: Node) throws {
            budget -= 1
            guard budget >= 0 else {
                throw CommandError("--config \(path): too large (more than \(maximumValues) values)")
            }
            switch node {
            case .scalar: break
            case .mapping(let mapping): for (key, value) in mapping { try visit(key); try visit(value) }
            case .sequence(let sequence): for item in sequence { try visit(item) }
            case .alias: throw CommandError("--config \(path): YAML aliases (*name) are not supported in settings files")
            }
        }
        if let root { try visit(root) }
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
