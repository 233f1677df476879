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

extension Scrubber {
    /// Secrets replaced, control characters shown: every text field of every output goes through this.
    public func clean(_ text: String) -> String { OutputText.escape(scrub(text)) }
}

extension ScenarioResult {
    /// Every text field cleaned: the scenario's own name, file and tags can carry a `${SECRET}` or an escape.
    func cleaned(_ scrubber: Scrubber) -> ScenarioResult {
        var out = self
        out.file = scrubber.clean(file)
        out.name = scrubber.clean(name)
        out.tags = tags.map(scrubber.clean)
        out.steps = steps.map { step in
            var step = step
            step.summary = scrubber.clean(step.summary)
            step.location.file = scrubber.clean(step.location.file)
            return step
        }
        out.failure = failure.map { failure in
            var failure = failure
            failure.step = scrubber.clean(failure.step)
            failure.location.file = scrubber.clean(failure.location.file)
            failure.expected = scrubber.clean(failure.expected)
            failure.actual = scrubber.clean(failure.actual)
            failure.device = failure.device.map(scrubber.clean)
            failure.screen = failure.screen.map(scrubber.clean)
            failure.timeline = failure.timeline.map(scrubber.clean)
            return failure
        }
        out.outputErrors = outputErrors.map(scrubber.clean)
        return out
    }
}
