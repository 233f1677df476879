/// TAP version 14: one test point per scenario; a failure's details go in a YAML diagnostic block.
public enum TAPReport {
    public static func text(_ run: RunResult) -> String {
        var out = "TAP version 14\n1..\(run.results.count)\n"
        for (index, result) in run.results.enumerated() {
            let ok = result.status == .passed ? "ok" : "not ok"
            out += "\(ok) \(index + 1) - \(clean(result.name)) (\(result.file))\n"
            guard let failure = result.failure else { continue }
            out += "  ---\n"
            out += "  message: \(quote(failure.headline))\n"
            out += "  at: \(quote(failure.location.description))\n"
            out += "  step: \(quote(failure.step))\n"
            out += "  expected: \(quote(failure.expected))\n"
            out += "  actual: \(quote(failure.actual))\n"
            if let device = failure.device {
                out += "  device: \(quote(device))\n"
                out += "  screen: |\n" + failure.screen.map { "    \($0)\n" }.joined()
                if !failure.timeline.isEmpty { out += "  timeline: |\n" + failure.timeline.map { "    \($0)\n" }.joined() }
            }
            out += "  ...\n"
        }
        return out
    }

    /// A description may not contain `#` (it starts a directive) or a newline.
    static func clean(_ text: String) -> String {
        text.replacingOccurrences(of: "#", with: "\\#").replacingOccurrences(of: "\n", with: " ")
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
