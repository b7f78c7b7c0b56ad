import Foundation
import Synchronization

/// Turns the first Ctrl-C into a request to stop after the current step; a second one ends
/// the process at once, as usual.
enum Interrupt {
    private static let requested = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT) { _ in
            Interrupt.requested.store(true, ordering: .relaxed)
            signal(SIGINT, SIG_DFL)
        }
    }

    static var wasRequested: Bool { requested.load(ordering: .relaxed) }
}
