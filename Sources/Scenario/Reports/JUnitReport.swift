import Foundation

/// JUnit XML as Jenkins, GitLab and GitHub test reporters read it: <testsuites> with a <testsuite> per file
/// and a <testcase> per scenario; a failure carries the step, expected/actual, the screen and the timeline.
public enum JUnitReport {
    public static func xml(_ run: RunResult) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"mmsim\" tests=\"\(run.results.count)\" failures=\"\(run.failed)\" errors=\"0\" time=\"\(seconds(run.realMillis))\">\n"
        for (file, results) in run.byFile {
            let failures = results.filter { $0.status == .failed }.count
            let time = results.reduce(0) { $0 + $1.realMillis }
            out += "  <testsuite name=\"\(escape(file))\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(seconds(time))\">\n"
            for result in results {
                out += "    <testcase name=\"\(escape(result.name))\" classname=\"\(escape(classname(file)))\" file=\"\(escape(file))\" time=\"\(seconds(result.realMillis))\""
                guard let failure = result.failure else {
                    out += "/>\n"
                    continue
                }
                out += ">\n"
                out += "      <failure message=\"\(escape(failure.headline))\" type=\"AssertionFailure\">\(escape(failure.details))</failure>\n"
                out += "      <system-out>\(escape(stepsText(result)))</system-out>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    static func stepsText(_ result: ScenarioResult) -> String {
        result.steps.map { "\($0.status.rawValue.uppercased()) \($0.summary)" }.joined(separator: "\n")
    }

    /// `demo/MM-T941.yaml` → `demo.MM-T941`, the dotted form CI tools group by.
    static func classname(_ file: String) -> String {
        var name = file
        for ext in [".yaml", ".yml"] where name.hasSuffix(ext) { name.removeLast(ext.count) }
        while name.hasPrefix("./") { name.removeFirst(2) }
        // An absolute path's leading slash would lead with a dot ("/tmp/x.yaml" → ".tmp.x"), an empty package.
        while name.hasPrefix("/") { name.removeFirst() }
        return name.replacingOccurrences(of: "/", with: ".")
    }

    static func seconds(_ millis: Double) -> String { String(format: "%.3f", millis / 1000) }

    /// XML 1.0 allows neither most control characters nor unpaired surrogates: drop them, escape the rest.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
