/// One drawn screen: the cells and where the clickable things are.
public struct Frame: Sendable, Equatable {
    public var grid: Grid
    public var hits: [Hit] = []

    /// The topmost thing under a click (later hits are drawn over earlier ones).
    public func hit(x: Int, y: Int) -> HitAction? {
        hits.last { $0.rect.contains(x: x, y: y) }?.action
    }
}

/// The whole UI as a pure function of state and terminal size.
public func render(_ state: AppState, _ size: Size) -> Grid { renderFrame(state, size).grid }

public func renderFrame(_ state: AppState, _ size: Size) -> Frame {
    var canvas = Canvas(state: state, frame: Frame(grid: Grid(size)))
    canvas.draw()
    if state.ascii { canvas.frame.grid.asciify() }
    return canvas.frame
}

/// Layout constants: a phone is drawn this wide; panes below these widths turn into tabs. Below `minimum` the
/// screen says how big it must be instead of drawing a layout that overlaps.
public enum Layout {
    public static let minimum = Size(width: 80, height: 24)
    static let phoneWidth = 34
    static let consoleMinWidth = 40
    static let timelineMinWidth = 36
    static let minHeight = 20
    static let phoneMaxHeight = 48
}

struct Canvas {
    let state: AppState
    var frame: Frame
    var grid: Grid {
        get { frame.grid }
        set { frame.grid = newValue }
    }
    var glyphs: Glyphs { state.glyphs }
    var width: Int { frame.grid.size.width }
    var height: Int { frame.grid.size.height }

    mutating func hit(_ rect: Rect, _ action: HitAction) { frame.hits.append(Hit(rect: rect, action: action)) }

    /// Side by side when phones, console and timeline all fit; tabs otherwise.
    var sideBySide: Bool {
        let phones = min(state.phones.count, 4) * Layout.phoneWidth
        return width >= phones + Layout.consoleMinWidth + Layout.timelineMinWidth && height >= Layout.minHeight
    }

    mutating func draw() {
        guard width >= Layout.minimum.width, height >= Layout.minimum.height else {
            let text = "mmsim needs a terminal of at least \(Layout.minimum.width)x\(Layout.minimum.height) "
                + "(this one is \(width)x\(height)): make the window larger."
            frame.grid.paragraph(text, in: Rect(x: 1, y: max(0, height / 2 - 1), width: max(1, width - 2), height: max(1, height / 2 + 1)))
            return
        }
        drawHeader()
        let top = sideBySide ? 1 : 2
        let body = Rect(x: 0, y: top, width: width, height: height - top - 2)
        if sideBySide {
            let phoneCount = min(state.phones.count, 4)
            let phonesWidth = phoneCount * Layout.phoneWidth
            drawPhones(in: Rect(x: body.x, y: body.y, width: phonesWidth, height: body.height))
            let rest = width - phonesWidth
            let consoleWidth = max(Layout.consoleMinWidth, rest / 2)
            drawConsole(in: Rect(x: phonesWidth, y: body.y, width: consoleWidth, height: body.height))
            drawTimeline(in: Rect(x: phonesWidth + consoleWidth, y: body.y, width: rest - consoleWidth, height: body.height))
        } else {
            drawTabs(y: 1)
            switch state.pane {
            case .phones: drawPhones(in: body)
            case .console: drawConsole(in: body)
            case .timeline: drawTimeline(in: body)
            }
        }
        drawStatusLine(y: height - 2)
        drawKeyBar(y: height - 1)
        drawDialog()
    }

    mutating func drawHeader() {
        let style = CellStyle(bold: true, reverse: true, role: .title)
        frame.grid.fill(Rect(x: 0, y: 0, width: width, height: 1), " ", style)
        var offset = ""
        if state.clockOffsetMillis > 0 { offset = " (+\(state.clockOffsetMillis / 60_000) min)" }
        let mode = state.embedded ? "embedded" : "real server"
        var text = " mmsim \(glyphs.dot) \(state.serverURL) (\(mode))"
        if !state.serverNote.isEmpty { text += " \(glyphs.dot) \(state.serverNote)" }
        let clock = "clock \(state.clockText(state.nowMillis))\(offset) "
        // The web System Console lives at the same address: say so where there is room.
        let console = " \(glyphs.dot) System Console in a browser: \(state.serverURL)/login"
        if state.embedded, text.count + console.count + clock.count + 1 <= width { text += console }
        frame.grid.put(text, x: 0, y: 0, style, limit: max(0, width - clock.count - 1))
        frame.grid.put(clock, x: max(0, width - clock.count), y: 0, style)
    }

    mutating func drawTabs(y: Int) {
        var x = 1
        for pane in Pane.allCases {
            let label = " \(pane.rawValue + 1) \(pane.title) "
            let active = pane == state.pane
            let written = frame.grid.put(label, x: x, y: y, CellStyle(bold: active, reverse: active, role: active ? .title : .dim))
            hit(Rect(x: x, y: y, width: written, height: 1), .pane(pane))
            x += written + 1
        }
    }

    mutating func drawStatusLine(y: Int) {
        // A bar of its own keys (a demo, a recording) takes none of the app's: no field hints.
        let hint = state.keyBar != nil ? ""
            : state.focus.isTextField ? "Tab next field \(glyphs.dot) Esc leave field" : "Tab focus \(glyphs.dot) Enter select \(glyphs.dot) Esc back"
        let room = state.status.count + hint.count + 3 <= width ? width - hint.count - 2 : width
        if room < width {
            frame.grid.put(hint, x: width - hint.count - 1, y: y, CellStyle(role: .dim))
        }
        frame.grid.put(" " + state.status, x: 0, y: y, CellStyle(role: .accent), limit: room)
    }

    /// htop's bar: the key plainly, its label in a coloured block.
    mutating func drawKeyBar(y: Int) {
        if let custom = state.keyBar {
            var x = 0
            for hint in custom {
                x += frame.grid.put(hint.key, x: x, y: y, CellStyle(bold: true))
                x += frame.grid.put(hint.label.padded(to: hint.label.count + 2), x: x, y: y, CellStyle(reverse: true, role: .keyLabel))
            }
            if x < width { frame.grid.fill(Rect(x: x, y: y, width: width - x, height: 1), " ", CellStyle(reverse: true, role: .keyLabel)) }
            return
        }
        let items = KeyMap.bindings.map { ($0.function, $0.bar) }
        var x = 0
        for (number, label) in items {
            let key = "F\(number)"
            let start = x
            x += frame.grid.put(key, x: x, y: y, CellStyle(bold: true))
            x += frame.grid.put(label.padded(to: max(5, label.count + 1)), x: x, y: y, CellStyle(reverse: true, role: .keyLabel))
            hit(Rect(x: start, y: y, width: x - start, height: 1), .key(.function(number)))
        }
        if x < width {
            frame.grid.fill(Rect(x: x, y: y, width: width - x, height: 1), " ", CellStyle(reverse: true, role: .keyLabel))
        }
    }
}
