import Foundation
import Synchronization

/// Space and q while the demo plays: stdin in raw mode, read on a thread of its own (a blocking read must not
/// sit on the cooperative pool). Without a terminal there are no keys and the demo just plays.
final class RunDemoKeys: Sendable {
    private struct Flags { var paused = false; var quit = false; var saved: termios? }
    private let flags = Mutex(Flags())

    var paused: Bool { flags.withLock { $0.paused } }
    var quit: Bool { flags.withLock { $0.quit } }

    func start() {
        guard isatty(STDIN_FILENO) == 1 else { return }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        flags.withLock { $0.saved = original }
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) == 1 {
                switch byte {
                case UInt8(ascii: " "): flags.withLock { $0.paused.toggle() }
                case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3: flags.withLock { $0.quit = true }
                default: break
                }
                if quit { break }
            }
        }
        thread.start()
    }

    /// Puts the terminal back as it was.
    func stop() {
        guard var saved = flags.withLock({ state -> termios? in
            defer { state.saved = nil }
            return state.saved
        }) else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    }
}
