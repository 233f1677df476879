/// Small drawing helpers over a Grid. Each returns nothing but cells; hit rectangles are the caller's.
extension Grid {
    /// A frame with an optional title in its top border.
    public mutating func box(_ rect: Rect, title: String = "", glyphs: Glyphs, rounded: Bool = false,
                             style: CellStyle = .plain, titleStyle: CellStyle? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let (tl, tr, bl, br) = rounded
            ? (glyphs.roundTopLeft, glyphs.roundTopRight, glyphs.roundBottomLeft, glyphs.roundBottomRight)
            : (glyphs.topLeft, glyphs.topRight, glyphs.bottomLeft, glyphs.bottomRight)
        for x in (rect.x + 1)..<(rect.maxX - 1) {
            self[x, rect.y] = Cell(glyphs.horizontal, style)
            self[x, rect.maxY - 1] = Cell(glyphs.horizontal, style)
        }
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            self[rect.x, y] = Cell(glyphs.vertical, style)
            self[rect.maxX - 1, y] = Cell(glyphs.vertical, style)
        }
        self[rect.x, rect.y] = Cell(tl, style)
        self[rect.maxX - 1, rect.y] = Cell(tr, style)
        self[rect.x, rect.maxY - 1] = Cell(bl, style)
        self[rect.maxX - 1, rect.maxY - 1] = Cell(br, style)
        if !title.isEmpty, rect.width > 4 {
            put(" \(title) ", x: rect.x + 1, y: rect.y, titleStyle ?? style, limit: rect.width - 2)
        }
    }

    /// Text clipped to the rectangle's first line, optionally centred.
    public mutating func label(_ text: String, in rect: Rect, _ style: CellStyle = .plain, centered: Bool = false) {
        guard rect.height > 0 else { return }
        let shown = text.clipped(to: rect.width)
        let x = centered ? rect.x + max(0, (rect.width - shown.count) / 2) : rect.x
        put(shown, x: x, y: rect.y, style, limit: rect.width)
    }

    /// Word-wrapped text; returns the number of lines used.
    @discardableResult
    public mutating func paragraph(_ text: String, in rect: Rect, _ style: CellStyle = .plain,
                                   centered: Bool = false) -> Int {
        let lines = text.wrapped(to: rect.width).prefix(rect.height)
        for (index, line) in lines.enumerated() {
            label(line, in: Rect(x: rect.x, y: rect.y + index, width: rect.width, height: 1), style, centered: centered)
        }
        return lines.count
    }

    /// "[ Title ]"; returns its rectangle for hit-testing.
    @discardableResult
    public mutating func button(_ title: String, x: Int, y: Int, focused: Bool, role: ColorRole = .button) -> Rect {
        let text = "[ \(title) ]"
        put(text, x: x, y: y, CellStyle(bold: true, reverse: focused, role: role))
        return Rect(x: x, y: y, width: text.count, height: 1)
    }
}

extension String {
    /// At most `width` characters; a cut string ends in "~" so it never looks complete.
    func clipped(to width: Int) -> String {
        guard width > 0 else { return "" }
        guard count > width else { return self }
        return String(prefix(max(0, width - 1))) + "~"
    }

    func padded(to width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }

    /// Greedy word wrap; words longer than a line are cut across lines.
    func wrapped(to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                var word = String(word)
                while word.count > width {
                    if !line.isEmpty { lines.append(line); line = "" }
                    lines.append(String(word.prefix(width)))
                    word = String(word.dropFirst(width))
                }
                if line.isEmpty {
                    line = word
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = word
                }
            }
            lines.append(line)
        }
        return lines
    }
}
