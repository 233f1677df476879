import Dispatch
import Foundation

/// SIGINT / SIGTERM while a command owns a scratch folder: remove the folder, then die of the same signal,
/// so that whoever sent it sees how the process ended and no `/tmp/mmsim-*` is left behind.
final class RemoveOnSignal {
    private let sources: [any DispatchSourceSignal]

    init(_ folder: URL) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(at: folder)
                signal(number, SIG_DFL)
                // To the process, not this thread: dispatch's worker threads block signals.
                kill(getpid(), number)
            }
            source.resume()
            return source
        }
    }

    /// The command ended by itself: signals get their default action again.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
