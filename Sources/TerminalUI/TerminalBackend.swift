/// What the terminal reports, already translated out of the backend's codes.
public enum TerminalInput: Sendable, Equatable {
    case key(Key)
    case click(x: Int, y: Int)
    case resize
}

/// The one seam between the app's loop and a screen: ncurses in the real app, an in-memory screen in tests.
/// Called only from the `TerminalApp` actor.
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    var unicode: Bool { get }
    var color: Bool { get }
    func paint(_ grid: Grid)
    /// What arrived since the last call (the backend announced it through `startInput`'s `onInput`).
    func readInput() -> [TerminalInput]
    func refreshSize()
    /// Calls `onInput` when input waits and `onSignal` for SIGWINCH / SIGTERM / SIGINT / SIGHUP.
    func startInput(onInput: @escaping @Sendable () -> Void, onSignal: @escaping @Sendable (Int32) -> Void)
    /// The loop has read what was there: announce the next input.
    func rearmInput()
    /// Stop input and give the terminal back.
    func close()
}
