import Foundation

/// `--snapshots DIR`: DIR/<scenario>/NN-<step>.txt after each step (every phone's screen), and
/// DIR/<scenario>/<name>.txt for `snapshot` steps. <scenario> is the slug of the scenario's name as cleaned for
/// output (a secret never names a folder), made unique by the runner.
public enum Snapshots {
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

    static func writeStep(_ folder: URL, index: Int, step: Step, summary: String,
                          screens: [(device: String, lines: [String])]) throws(OutputFile.Failure) {
        let number = index + 1 < 10 ? "0\(index + 1)" : "\(index + 1)"
        var text = "# step \(index + 1): \(summary)\n"
        for screen in screens { text += "\n" + screen.lines.joined(separator: "\n") + "\n" }
        try write(text, to: folder.appendingPathComponent("\(number)-\(step.keyword).txt"))
    }
}
