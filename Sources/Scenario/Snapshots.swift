import Foundation

/// `--snapshots DIR`: DIR/<scenario>/NN-<step>.txt after each step (every phone's screen), and
/// DIR/<scenario>/<name>.txt for `snapshot` steps.
public enum Snapshots {
    public static func folder(_ root: URL, scenario: Scenario) -> URL {
        root.appendingPathComponent(slug(scenario.name))
    }

    public static func slug(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if out.last != "-" { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "scenario" : String(out.prefix(80))
    }

    static func write(_ text: String, to url: URL) throws(OutputFile.Failure) {
        try OutputFile.write(Data(text.utf8), to: url.path)
    }

    static func writeStep(_ root: URL, scenario: Scenario, index: Int, step: Step,
                          screens: [(device: String, lines: [String])]) throws(OutputFile.Failure) {
        let number = index + 1 < 10 ? "0\(index + 1)" : "\(index + 1)"
        var text = "# step \(index + 1): \(step.summary)\n"
        for screen in screens { text += "\n" + screen.lines.joined(separator: "\n") + "\n" }
        try write(text, to: folder(root, scenario: scenario).appendingPathComponent("\(number)-\(step.keyword).txt"))
    }
}
