import Foundation

/// `--record FILE.cast`: asciicast v2 (a JSON header line, then `[seconds, "o", text]` lines) of the screen the
/// demo shows (phones, System Console, timeline, the step and its caption: `StepFrame`) after each step, which
/// `asciinema play` plays. Virtual time is compressed to a watchable pace: a step takes 1.2 s of recording, a wait
/// a little more (at most 3 s more, however many minutes pass).
public actor AsciicastRecorder: RunObserver {
    public static let width = 120
    public static let height = 40
    let url: URL
    var time = 0.0
    var events: [String] = []
    var title = "mmsim"

    public init(url: URL) { self.url = url }

    public func scenarioStarted(_ scenario: Scenario, screens: StepEvent) async {
        if events.isEmpty { title = "mmsim — \(screens.scenario)" } else { title = "mmsim" }
        frame(scenario: screens.scenario, heading: "\(screens.stepCount) steps", caption: nil, event: screens)
        time += 1.5
    }

    public func stepFinished(_ event: StepEvent) async {
        let status = event.result?.status == .failed ? "  ✗ FAILED" : ""
        frame(scenario: event.scenario, heading: "step \(event.index + 1): \(event.summary)\(status)",
              caption: event.caption, event: event)
        time += 1.2
        if case .wait(let millis, _) = event.step.action { time += min(3.0, 0.5 + Double(millis) / 120_000) }
    }

    public func scenarioFinished(_ result: ScenarioResult) async {
        let line = result.status == .passed ? "PASS  \(result.name)" : "FAIL  \(result.name)\r\n\(result.failure?.headline ?? "")"
        append("\r\n\u{1B}[1m\(line)\u{1B}[0m\r\n")
        time += 2
    }

    func frame(scenario: String, heading: String, caption: String?, event: StepEvent) {
        append(StepFrame.text(event, heading: heading, caption: caption, width: Self.width, height: Self.height,
                              color: true, status: "\(scenario) · +\(DurationText.clock(event.virtualMillis))", keys: []))
    }

    func append(_ text: String) {
        let encoded = (try? JSONEncoder().encode(text)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
        events.append("[\(String(format: "%.3f", time)), \"o\", \(encoded)]")
    }

    /// Writes the file; call once after the run.
    public func write() throws(OutputFile.Failure) {
        let header: [String: Any] = ["version": 2, "width": Self.width, "height": Self.height,
                                     "timestamp": Int(Date().timeIntervalSince1970), "title": title,
                                     "env": ["TERM": "xterm-256color", "SHELL": "/bin/sh"]]
        let headerData = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data()
        var text = String(data: headerData, encoding: .utf8) ?? "{\"version\": 2}"
        text += "\n" + events.joined(separator: "\n") + "\n"
        try OutputFile.write(Data(text.utf8), to: url.path)
    }
}
