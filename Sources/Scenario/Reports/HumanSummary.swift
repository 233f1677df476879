/// What a person reads on stdout after `mmsim run`.
public enum HumanSummary {
    public static func text(_ run: RunResult) -> String {
        var out = ""
        for result in run.results {
            let mark = result.status == .passed ? "PASS" : "FAIL"
            let simulated = run.simulatedClock ? ", \(DurationText.text(result.virtualMillis)) simulated" : ""
            out += "\(mark)  \(result.name)  (\(result.file), \(ms(result.realMillis)) real\(simulated))\n"
            guard let failure = result.failure else { continue }
            out += "      at step \(failure.stepIndex + 1), \(failure.location)\n"
            out += "      step:     \(failure.step)\n"
            out += "      expected: \(failure.expected)\n"
            out += "      actual:   \(failure.actual)\n"
            if let device = failure.device {
                out += "      screen of \(device):\n"
                out += failure.screen.map { "        | \($0)\n" }.joined()
                if !failure.timeline.isEmpty {
                    out += "      last timeline lines of \(device):\n"
                    out += failure.timeline.map { "        \($0)\n" }.joined()
                }
            }
        }
        out += "\n\(run.results.count) scenario\(run.results.count == 1 ? "" : "s"): \(run.passed) passed, \(run.failed) failed (\(ms(run.realMillis)))\n"
        return out
    }

    static func ms(_ millis: Double) -> String {
        millis < 1000 ? "\(Int(millis.rounded())) ms" : "\((millis / 100).rounded() / 10) s"
    }
}
