import CNcurses
import TerminalUI
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The only code that talks to ncurses: paints grids, reads keys. Not thread-safe, as ncurses is not:
/// the UI actor owns the one instance and makes every call.
public final class CursesTerminal: TerminalBackend {
    public let unicode: Bool
    public let color: Bool
    public private(set) var size: Size
    private var shown: Grid?
    private var waker: InputWaker?

    public func startInput(onInput: @escaping @Sendable () -> Void, onSignal: @escaping @Sendable (Int32) -> Void) {
        waker = InputWaker(onInput: onInput, onSignal: onSignal)
    }

    public func rearmInput() { waker?.rearm() }

    /// Locale first (wide characters and the UTF-8 check need it), then initscr.
    public init(wantColor: Bool) {
        setlocale(LC_ALL, "")
        unicode = mm_locale_is_utf8() != 0
        mm_install_crash_handlers()
        initscr()
        mm_set_curses_active(1)
        raw()  // Ctrl-C arrives as a key, so quitting is orderly
        noecho()
        nonl()
        keypad(mm_stdscr(), true)
        nodelay(mm_stdscr(), true)  // reads happen only when the read source says input is there
        set_escdelay(25)
        curs_set(0)
        mm_enable_mouse()
        color = wantColor && has_colors()
        if color {
            start_color()
            use_default_colors()
            for role in ColorRole.allCases { init_pair(Int16(role.rawValue) + 1, Self.foreground(role), -1) }
        }
        size = Size(width: Int(mm_cols()), height: Int(mm_lines()))
    }

    public func close() {
        waker?.cancel()
        waker = nil
        guard mm_is_curses_active() != 0 else { return }
        mm_set_curses_active(0)
        endwin()
    }

    /// Foreground per role; `reverse` in a cell's style turns it into a coloured bar (htop's key bar).
    private static func foreground(_ role: ColorRole) -> Int16 {
        switch role {
        case .normal, .button, .screen: return -1
        case .title: return Int16(COLOR_BLUE)
        case .accent, .keyLabel: return Int16(COLOR_CYAN)
        case .good: return Int16(COLOR_GREEN)
        case .warning: return Int16(COLOR_YELLOW)
        case .error, .danger: return Int16(COLOR_RED)
        case .dim: return -1
        }
    }

    private func attributes(_ style: CellStyle) -> Int32 {
        var attrs = mm_attr_normal()
        if style.bold { attrs |= mm_attr_bold() }
        if style.reverse { attrs |= mm_attr_reverse() }
        if style.role == .dim { attrs |= mm_attr_dim() }
        if color { attrs |= mm_color_pair(Int32(style.role.rawValue) + 1) }
        return attrs
    }

    /// The kernel's idea of the size after SIGWINCH; ncurses is told, and the next paint starts clean.
    public func refreshSize() {
        var rows: Int32 = 0, cols: Int32 = 0
        if mm_terminal_size(&rows, &cols) != 0 { resize_term(rows, cols) }
        size = Size(width: Int(mm_cols()), height: Int(mm_lines()))
        shown = nil
        // The terminal may have reflowed what it showed; ncurses' picture of it is stale. Once, so no flicker.
        clearok(mm_stdscr(), true)
    }

    /// Draws only the rows that changed; a new size erases first. One refresh per call: no flicker.
    public func paint(_ grid: Grid) {
        guard grid != shown else { return }
        if shown?.size != grid.size { erase() }
        for y in 0..<grid.size.height {
            if let shown, shown.size == grid.size, shown.row(y) == grid.row(y),
               (0..<grid.size.width).allSatisfy({ shown[$0, y].style == grid[$0, y].style }) { continue }
            paintRow(grid, y)
        }
        mm_attrset(mm_attr_normal())
        refresh()
        shown = grid
    }

    /// Runs of equal style go out as one string.
    private func paintRow(_ grid: Grid, _ y: Int) {
        var x = 0
        while x < grid.size.width {
            let style = grid[x, y].style
            var run = ""
            let start = x
            while x < grid.size.width, grid[x, y].style == style {
                run.append(grid[x, y].character)
                x += 1
            }
            // The bottom-right cell cannot be written without scrolling; leave it blank.
            if y == grid.size.height - 1, x == grid.size.width { run = String(run.dropLast()) }
            mm_attrset(attributes(style))
            _ = mvaddstr(Int32(y), Int32(start), run)
        }
    }

    /// Everything typed since the last call (nodelay: returns at once when nothing is left).
    public func readInput() -> [TerminalInput] {
        var inputs: [TerminalInput] = []
        while inputs.count < 256 {
            var code: wint_t = 0
            let result = get_wch(&code)
            if result == ERR { break }
            if result == mm_key_code_yes() {
                if let input = functionKey(Int32(code)) { inputs.append(input) }
            } else if let key = Self.character(UInt32(code)) {
                inputs.append(.key(key))
            }
        }
        return inputs
    }

    private func functionKey(_ code: Int32) -> TerminalInput? {
        switch code {
        case mm_key_resize(): return .resize
        case mm_key_mouse():
            var x: Int32 = 0, y: Int32 = 0
            return mm_read_click(&x, &y) != 0 ? .click(x: Int(x), y: Int(y)) : nil
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BTAB: return .key(.backTab)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_ENTER: return .key(.enter)
        default:
            for number in 1...12 where code == mm_key_f(Int32(number)) { return .key(.function(number)) }
            return nil
        }
    }

    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 3: return .controlC
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default: return Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }
}

/// Wakes the UI when stdin has bytes or a signal arrived, without a thread blocked in read or a poll loop.
/// The read source is suspended between a wake-up and the UI's read, so a pending key fires once, not in a spin.
final class InputWaker: @unchecked Sendable {
    // @unchecked: the sources are only touched in init, `rearm` (called by the UI actor) and `cancel`.
    private let stdinSource: any DispatchSourceRead
    private let signalSource: (any DispatchSourceRead)?
    private let queue = DispatchQueue(label: "mmsim.tui.input")
    /// A suspended source must be resumed before it is released, or Dispatch traps.
    private let suspended = Flag()

    init(onInput: @escaping @Sendable () -> Void, onSignal: @escaping @Sendable (Int32) -> Void) {
        stdinSource = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: queue)
        let pipe = mm_install_signal_pipe()
        signalSource = pipe >= 0 ? DispatchSource.makeReadSource(fileDescriptor: pipe, queue: queue) : nil
        let source = stdinSource
        let suspended = self.suspended
        stdinSource.setEventHandler {
            source.suspend()
            suspended.value.withLock { $0 = true }
            onInput()
        }
        signalSource?.setEventHandler {
            while case let number = mm_read_signal(), number != 0 { onSignal(number) }
        }
        stdinSource.resume()
        signalSource?.resume()
    }

    /// The UI has read what was there: listen again.
    func rearm() {
        let wasSuspended = suspended.value.withLock { state in
            defer { state = false }
            return state
        }
        if wasSuspended { stdinSource.resume() }
    }

    func cancel() {
        stdinSource.cancel()
        signalSource?.cancel()
        rearm()
    }
}

private final class Flag: Sendable {
    let value = Mutex(false)
}
