import Foundation
import ImpastoModels

extension FastStyleTrainingConfiguration {
    /// The loss settings as a model's metadata records them (`StyleModel.Metadata.training`,
    /// keyed by `impasto train`'s flags without the dashes), the defaults for those it lacks, and
    /// the keys it lacked, so that whoever scores the model can say what it assumed: models
    /// written so far record their weights but not their layers or the painting's size.
    public static func recorded(in training: [String: String]) throws -> (configuration: Self, unrecorded: [String]) {
        var configuration = Self()
        var unrecorded: [String] = []
        func read<Value>(_ key: String, _ value: inout Value, _ parse: (String) -> Value?) throws {
            guard let text = training[key] else { return unrecorded.append(key) }
            guard let parsed = parse(text) else { throw RecordedSettingError(key: key, value: text) }
            value = parsed
        }
        func layers(_ text: String) -> [VGG19.Layer]? {
            let names = text.split(separator: ",").map { VGG19.Layer(name: $0.trimmingCharacters(in: .whitespaces)) }
            return names.contains(nil) ? nil : names.compactMap { $0 }
        }
        try read("content-weight", &configuration.contentWeight, Float.init)
        try read("style-weight", &configuration.styleWeight, Float.init)
        try read("tv-weight", &configuration.tvWeight, Float.init)
        try read("content-layers", &configuration.contentLayers, layers)
        try read("style-layers", &configuration.styleLayers, layers)
        try read("style-size", &configuration.styleSize) { Int($0).map { .some($0) } }
        return (configuration, unrecorded)
    }
}

/// A training setting in a model's metadata that cannot be read.
public struct RecordedSettingError: Error, CustomStringConvertible, Equatable {
    public var key: String
    public var value: String

    public var description: String { "its training setting \(key) is '\(value)', which cannot be read" }
}
