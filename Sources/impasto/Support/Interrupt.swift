import Foundation
import ImpastoImage
import ImpastoStyle

/// Turns the first Ctrl-C (SIGINT) or SIGTERM into a request to stop after the current step, so
/// the last good result is kept; a second one ends the process at once, as usual, after killing
/// the ffmpeg processes a video runs and removing the file they were writing (`ChildProcesses`).
enum Interrupt {
    /// Set by the signal handler: an atomic store, which is safe there.
    nonisolated(unsafe) private static var cancellation: Cancellation?
    /// The signal that asked the run to stop, 0 if none: the exit status is 128 plus it (130 for
    /// Ctrl-C, 143 for SIGTERM), as shells and schedulers expect of an interrupted program.
    nonisolated(unsafe) private(set) static var received: Int32 = 0
    private static let signals = [SIGINT, SIGTERM]

    /// Installs the handlers and unblocks the signals on this thread (a run started in the
    /// background by a shell, or by a harness that blocks signals in its children, must still stop
    /// cleanly when asked). Returns the cancellation they trigger.
    static func install() -> Cancellation {
        let cancellation = Cancellation()
        Self.cancellation = cancellation
        ChildProcesses.prepare()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            guard Interrupt.received == 0 else {
                ChildProcesses.stopAll()
                Foundation.signal(signal, SIG_DFL)
                raise(signal)
                return
            }
            Interrupt.received = signal
            Interrupt.cancellation?.cancel()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            sigaction(signal, &action, nil)
            sigaddset(&set, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        return cancellation
    }
}
