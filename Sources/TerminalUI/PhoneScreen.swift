import Device

/// One phone exactly as the app draws it (its frame, status bar, screen and footer), as text lines: what
/// `assertVisible`, snapshots and failure reports read, so that a scenario checks the screen a tester sees.
public enum PhoneScreen {
    public static let height = 30

    /// The phone drawn at the app's phone width; the clock in UTC so that snapshots do not depend on the host.
    public static func lines(_ phone: DeviceState, nowMillis: Int64, height: Int = height, ascii: Bool = false) -> [String] {
        var state = AppState(phones: [phone], console: ConsoleView(username: ""), serverURL: phone.serverURL)
        state.nowMillis = nowMillis
        state.ascii = ascii
        state.focus = AppState.defaultFocus(for: phone)
        var canvas = Canvas(state: state, frame: Frame(grid: Grid(Size(width: Layout.phoneWidth, height: height))))
        canvas.drawPhone(0, in: Rect(x: 0, y: 0, width: Layout.phoneWidth, height: height))
        if ascii { canvas.frame.grid.asciify() }
        return canvas.frame.grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The words on the screen in reading order, borders and line wraps gone: a text wrapped over two lines
    /// (a banner) is found as one.
    public static func searchable(_ lines: [String]) -> String {
        let frame = FrameGlyphs.frame
        let words = lines.flatMap { line in
            line.split(whereSeparator: { $0 == " " || frame.contains($0) }).map(String.init)
        }
        return words.joined(separator: " ")
    }
}

/// Box-drawing characters of the phone's frame, in both glyph sets.
enum FrameGlyphs {
    static let frame: Set<Character> = ["│", "─", "╭", "╮", "╰", "╯", "┌", "┐", "└", "┘", "|", "+", "-"]
}
