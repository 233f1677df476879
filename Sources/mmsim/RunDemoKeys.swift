import Foundation
import TerminalUI
import Synchronization

/// The demo's keys, read from stdin in raw mode on a thread of its own (a blocking read must not sit on the
/// cooperative pool). Escape sequences (F-keys, arrows) are read whole, so the `Q` of F2's `ESC O Q` never quits.
/// Space pauses (or, in step mode, advances), Enter / → / n advance (on a timer: cut the screen short), 1 2 3 show the phones, the System Console or the
/// timeline (a narrow screen shows one at a time), q or Ctrl-C quits; anything else is ignored.
/// SIGTERM and SIGINT quit the same way (see `DemoCommand`), so the terminal is always restored. Without a terminal
/// the demo just plays.
final class RunDemoKeys: Sendable {
    enum Action: Equatable { case pause, next, quit, pane(Pane), other }

    private struct Flags {
        var paused = false
        var quit = false
        var pane = Pane.phones
        /// Presses not yet taken by `nextPress`, and the one waiter for the next (the player) with its ticket.
        var unread: [Action] = []
        var waiter: CheckedContinuation<Action?, Never>?
        var ticket: UInt64 = 0
        /// The ticket whose deadline passed before its waiter was registered.
        var expired: UInt64 = 0
        var saved: termios?
    }
    private let flags = Mutex(Flags())
    let stepMode: Bool

    init(stepMode: Bool) { self.stepMode = stepMode }

    var paused: Bool { flags.withLock { $0.paused } }
    /// The pane the screen shows (1 2 3).
    var pane: Pane { flags.withLock { $0.pane } }
    var quit: Bool { flags.withLock { $0.quit } }
    var hasTerminal: Bool { flags.withLock { $0.saved != nil } }

    /// The next key press (after a quit, always `.quit`): the player waits on the key itself, not on a timer.
    func nextPress() async -> Action {
        await nextPress(until: nil) ?? .quit
    }

    /// The next key press, or nil once `deadline` (the demo's pace) comes first.
    func nextPress(until deadline: ContinuousClock.Instant?) async -> Action? {
        let ticket = flags.withLock { state -> UInt64 in
            state.ticket &+= 1
            return state.ticket
        }
        let timer = deadline.map { deadline in
            Task { [self] in
                guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
                let waiter = flags.withLock { state -> CheckedContinuation<Action?, Never>? in
                    guard state.ticket == ticket, let waiter = state.waiter else {
                        state.expired = ticket
                        return nil
                    }
                    state.waiter = nil
                    return waiter
                }
                waiter?.resume(returning: nil)
            }
        }
        defer { timer?.cancel() }
        return await withCheckedContinuation { continuation in
            let ready: Action?? = flags.withLock { state in
                if state.quit { return .some(.quit) }
                if !state.unread.isEmpty { return .some(state.unread.removeFirst()) }
                if state.expired == ticket { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Forgets presses made before now (the last screen waits for a new one).
    func discardUnread() { flags.withLock { $0.unread = [] } }

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
        // In step mode Space moves on too.
        let taken: Action = stepMode && action == .pause ? .next : action
        let waiter: CheckedContinuation<Action?, Never>? = flags.withLock { state in
            if taken == .quit { state.quit = true }
            if taken == .pause { state.paused.toggle() }
            if case .pane(let pane) = taken { state.pane = pane }
            guard let waiter = state.waiter else {
                state.unread.append(taken)
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: taken)
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
            case UInt8(ascii: "1"): return .pane(.phones)
            case UInt8(ascii: "2"): return .pane(.console)
            case UInt8(ascii: "3"): return .pane(.timeline)
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
