import Dispatch
import Foundation
import MattermostModel

/// SIGINT / SIGTERM / SIGHUP while a command owns a scratch folder: remove the folder, then die of the same signal,
/// so that whoever sent it sees how the process ended and no `/tmp/mmsim-*` is left behind.
/// (@unchecked: `sources` is set once in init; dispatch sources may be cancelled from any thread.)
final class RemoveOnSignal: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ folder: URL) {
        sources = SignalSources.install(SignalSources.ending) { number in Self.remove(folder, thenDieOf: number) }
    }

    /// The command ended by itself: signals get their default action again.
    func cancel() {
        SignalSources.cancel(sources)
    }

    /// Another handler has the signals from here on (the terminal's, which it installed over dispatch's): stop
    /// listening and leave the signals' dispositions as they are.
    func handOver() {
        for source in sources { source.cancel() }
    }

    static func remove(_ folder: URL?, thenDieOf number: Int32) -> Never {
        if let folder {
            // The command runs on while this does: no new folders, and files written meanwhile go too.
            PrivateFolder.stopMaking()
            var attempts = 0
            while FileManager.default.fileExists(atPath: folder.path), attempts < 100 {
                try? FileManager.default.removeItem(at: folder)
                attempts += 1
            }
        }
        // Die here and now, before the command can make anything new: dispatch's threads block signals,
        // so unblock it on this one and raise it to this one.
        signal(number, SIG_DFL)
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, number)
        pthread_sigmask(SIG_UNBLOCK, &only, nil)
        raise(number)
        exit(128 + number)
    }
}
