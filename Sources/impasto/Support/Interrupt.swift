import Foundation
import Synchronization

/// Turns the first Ctrl-C into a request to stop after the current step; a second one ends
/// the process at once, as usual.
enum Interrupt {
    private static let requested = Atomic<Bool>(false)

    /// Installs the handler and unblocks SIGINT on this thread. A run started in the background
    /// by a shell (which ignores SIGINT) or by a harness that blocks signals in its children must
    /// still stop cleanly when asked.
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            Interrupt.requested.store(true, ordering: .relaxed)
            signal(SIGINT, SIG_DFL)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    }

    static var wasRequested: Bool { requested.load(ordering: .relaxed) }
}
