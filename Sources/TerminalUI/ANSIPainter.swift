/// A rendered screen as ANSI text for outputs that are not a live terminal (the demo, recordings); roles become
/// colours only when colour is on.
public enum ANSIPainter {
    public static func paint(_ grid: Grid, color: Bool) -> String {
        var lines: [String] = []
        for y in 0..<grid.size.height {
            var line = ""
            var current = CellStyle.plain
            for x in 0..<grid.size.width {
                let cell = grid[x, y]
                if cell.style != current {
                    line += "\u{1B}[0m" + sgr(cell.style, color: color)
                    current = cell.style
                }
                // Grid.put keeps control characters out of the cells.
                line.append(cell.character)
            }
            lines.append(line + "\u{1B}[0m")
        }
        return lines.joined(separator: "\r\n")
    }

    public static func sgr(_ style: CellStyle, color: Bool) -> String {
        var codes: [String] = []
        if style.bold { codes.append("1") }
        if style.reverse { codes.append("7") }
        if color {
            switch style.role {
            case .title, .accent: codes.append("36")
            case .good: codes.append("32")
            case .warning: codes.append("33")
            case .error, .danger: codes.append("31")
            case .dim: codes.append("2")
            case .keyLabel, .button: codes.append("7")
            case .normal, .screen: break
            }
        }
        return codes.isEmpty ? "" : "\u{1B}[\(codes.joined(separator: ";"))m"
    }

    public static func bold(_ text: String) -> String { "\u{1B}[1m\(text)\u{1B}[0m" }
    public static func caption(_ text: String, _ color: Bool) -> String { color ? "\u{1B}[1;33m\(text)\u{1B}[0m" : text }
}

