/// Text from a scenario, a server or a phone, made safe to print: control characters (terminal escapes,
/// carriage returns, bells) are shown as `\e`, `\r`, `\xNN` instead of being obeyed by the terminal that
/// shows a report, a snapshot or a recording.
public enum OutputText {
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\u{1B}": out += "\\e"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += hex.count < 2 ? "\\x0\(hex)" : "\\x\(hex)"
            }
        }
        return out
    }

    /// C0 (but tab), DEL and C1: what a terminal may act on.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }
}
