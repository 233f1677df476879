import Foundation
import Synchronization

/// The demo's keys, read from stdin in raw mode on a thread of its own (a blocking read must not sit on the
/// cooperative pool). Escape sequences (F-keys, arrows) are read whole, so the `Q` of F2's `ESC O Q` never quits.
/// Space pauses (or, in step mode, advances), Enter / → / n advance, q or Ctrl-C quits; anything else is ignored.
/// SIGTERM and SIGINT quit the same way (see `DemoCommand`), so the terminal is always restored. Without a terminal
/// the demo just plays.
final class RunDemoKeys: Sendable {
    enum Action: Equatable { case pause, next, quit, other }

    private struct Flags {
        var paused = false
        var quit = false
        /// Key presses that ask for the next step, not yet taken.
        var advances = 0
        /// Every key press, whatever it does.
        var presses = 0
        var saved: termios?
    }
    private let flags = Mutex(Flags())
    let stepMode: Bool

    init(stepMode: Bool) { self.stepMode = stepMode }

    var paused: Bool { flags.withLock { $0.paused } }
    var quit: Bool { flags.withLock { $0.quit } }
    var hasTerminal: Bool { flags.withLock { $0.saved != nil } }
    var presses: Int { flags.withLock { $0.presses } }

    /// Takes one pending "next" press, if any.
    func takeAdvance() -> Bool {
        flags.withLock { state in
            guard state.advances > 0 else { return false }
            state.advances -= 1
            return true
        }
    }

    func start() {
        guard isatty(STDIN_FILENO) == 1 else { return }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return }
        var raw = original
        // ISIG off: Ctrl-C arrives as a byte and quits through the same path that restores the terminal.
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        flags.withLock { $0.saved = original }
        let thread = Thread { [self] in
            var parser = RunDemoKeyParser()
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) == 1 {
                guard let action = parser.feed(byte) else { continue }
                apply(action)
                if quit { break }
            }
        }
        thread.start()
    }

    func apply(_ action: Action) {
        flags.withLock { state in
            state.presses += 1
            switch action {
            case .quit: state.quit = true
            case .pause where stepMode, .next: state.advances += 1
            case .pause: state.paused.toggle()
            case .other: break
            }
        }
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

/// Bytes → demo actions. ESC starts a sequence (`ESC [ … final` or `ESC O x`) that is read to its end; a lone ESC
/// followed by another key is taken as that key.
struct RunDemoKeyParser {
    private enum Mode { case ground, escape, csi, ss3 }
    private var mode = Mode.ground

    mutating func feed(_ byte: UInt8) -> RunDemoKeys.Action? {
        switch mode {
        case .ground:
            switch byte {
            case 0x1B: mode = .escape; return nil
            case UInt8(ascii: " "): return .pause
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "n"), UInt8(ascii: "N"): return .next
            case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3: return .quit
            default: return .other
            }
        case .escape:
            switch byte {
            case UInt8(ascii: "["): mode = .csi
            case UInt8(ascii: "O"): mode = .ss3
            default:
                mode = .ground
                return feed(byte)
            }
            return nil
        case .csi:
            // Parameters and intermediates until a final byte in 0x40…0x7E; `C` is →.
            guard (0x40...0x7E).contains(byte) else { return nil }
            mode = .ground
            return byte == UInt8(ascii: "C") ? .next : .other
        case .ss3:
            mode = .ground
            return byte == UInt8(ascii: "C") ? .next : .other
        }
    }
}
