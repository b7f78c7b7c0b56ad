/// ArgumentParser reads a token that starts with "-" as a flag, so `--max-dim -5` said "Missing
/// value for '--max-dim'" when the value was there and only wrong. A negative number after a
/// long option is attached to it (`--max-dim=-5`), so the option's own check names the problem.
/// No flag of Impasto's looks like a number, so nothing else changes meaning.
enum NegativeNumbers {
    static func attached(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let next = index + 1 < arguments.endIndex ? arguments[index + 1] : nil
            if argument.hasPrefix("--"), !argument.contains("="), argument != "--", let next, isNegativeNumber(next) {
                result.append("\(argument)=\(next)")
                index += 2
            } else {
                result.append(argument)
                index += 1
            }
        }
        return result
    }

    static func isNegativeNumber(_ text: String) -> Bool {
        text.hasPrefix("-") && text.count > 1 && Double(text) != nil
    }
}
