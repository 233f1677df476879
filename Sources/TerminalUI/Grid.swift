/// What a cell means, not how it looks: the backend maps roles to colours (or to nothing under NO_COLOR).
public enum ColorRole: UInt8, Sendable, CaseIterable {
    case normal, title, accent, good, warning, error, dim, keyLabel, button, danger, screen
}

public struct CellStyle: Sendable, Hashable {
    public var bold = false
    public var reverse = false
    public var role: ColorRole = .normal

    public init(bold: Bool = false, reverse: Bool = false, role: ColorRole = .normal) {
        self.bold = bold
        self.reverse = reverse
        self.role = role
    }

    public static let plain = CellStyle()
}

public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: CellStyle

    public init(_ character: Character = " ", _ style: CellStyle = .plain) {
        self.character = character
        self.style = style
    }
}

public struct Size: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

public struct Rect: Sendable, Hashable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    /// The rectangle shrunk by `by` on every side.
    public func inset(_ by: Int) -> Rect { Rect(x: x + by, y: y + by, width: width - 2 * by, height: height - 2 * by) }
}

/// A screen's worth of cells. Every character is assumed one column wide (the glyphs used are).
public struct Grid: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(_ size: Size) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        cells = Array(repeating: Cell(), count: self.size.width * self.size.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { (x >= 0 && y >= 0 && x < size.width && y < size.height) ? cells[y * size.width + x] : Cell() }
        set {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
            cells[y * size.width + x] = newValue
        }
    }

    /// Writes `text` from (x, y), clipped to `limit` columns and to the grid. Returns the columns written.
    /// Text that came with data (a post) is shown, never obeyed: a line break or tab is a space, any other control
    /// character (a backspace would move the terminal's cursor over the phone's frame) is U+FFFD.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, _ style: CellStyle = .plain, limit: Int? = nil) -> Int {
        var column = x
        let end = min(size.width, limit.map { x + max(0, $0) } ?? size.width)
        for character in text where column < end {
            let printable: Character = (character.isNewline || character == "\t") ? " "
                : character.unicodeScalars.contains(where: OutputText.isControl) ? "\u{FFFD}" : character
            self[column, y] = Cell(printable, style)
            column += 1
        }
        return max(0, column - x)
    }

    public mutating func fill(_ rect: Rect, _ character: Character = " ", _ style: CellStyle = .plain) {
        for y in rect.y..<rect.maxY { for x in rect.x..<rect.maxX { self[x, y] = Cell(character, style) } }
    }

    /// Applies a style to cells already drawn (focus highlight over a row).
    public mutating func restyle(_ rect: Rect, _ change: (inout CellStyle) -> Void) {
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX where x >= 0 && y >= 0 && x < size.width && y < size.height {
                change(&cells[y * size.width + x].style)
            }
        }
    }

    /// Non-ASCII characters that came with data (timeline arrows, names) for a non-UTF-8 terminal.
    public mutating func asciify() {
        for index in cells.indices where !cells[index].character.isASCII {
            switch cells[index].character {
            case "→": cells[index].character = ">"
            case "←": cells[index].character = "<"
            case "…": cells[index].character = "~"
            case "—", "–": cells[index].character = "-"
            default: cells[index].character = "?"
            }
        }
    }

    public func row(_ y: Int) -> String {
        guard y >= 0, y < size.height else { return "" }
        return String(cells[(y * size.width)..<((y + 1) * size.width)].map(\.character))
    }

    /// The screen as text, trailing blanks trimmed: what golden files and tmux captures compare.
    public var text: String {
        (0..<size.height).map { row($0).trimmingTrailingSpaces() }.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
