/// What a run produced, for the summary and every report format. Texts are scrubbed of secrets before they
/// get here (see `Scrubber`).
public struct StepResult: Sendable {
    public enum Status: String, Sendable { case passed, failed, skipped }
    public var index: Int
    public var summary: String
    public var location: SourceLocation
    public var status: Status
    public var realMillis: Double
    /// Simulation time since the scenario started, after this step.
    public var virtualMillis: Int64
}

public struct StepFailure: Sendable {
    public var stepIndex: Int
    public var step: String
    public var location: SourceLocation
    public var expected: String
    public var actual: String
    public var device: String?
    public var screen: [String]
    public var timeline: [String]

    /// One line: `step 8 (demo/x.yaml:12:5) assertScreen: {…}: expected …, got …`.
    public var headline: String {
        "step \(stepIndex + 1) (\(location)) \(step): expected \(expected), got \(actual)"
    }

    /// The full text: headline, the phone's screen, the last lines of its timeline.
    public var details: String {
        var lines = [headline]
        if let device {
            lines.append("screen of \(device):")
            lines += screen.map { "  | \($0)" }
            if !timeline.isEmpty {
                lines.append("last timeline lines of \(device):")
                lines += timeline.map { "  \($0)" }
            }
        }
        return lines.joined(separator: "\n")
    }
}

public struct ScenarioResult: Sendable {
    public enum Status: String, Sendable { case passed, failed }
    public var file: String
    public var name: String
    public var tags: [String]
    public var status: Status
    public var realMillis: Double
    public var virtualMillis: Int64
    public var steps: [StepResult]
    public var failure: StepFailure?
    /// Files of this scenario (snapshots) that could not be written.
    public var outputErrors: [String] = []
}

public struct RunResult: Sendable {
    public var results: [ScenarioResult]
    public var realMillis: Double
    /// False against a real server (`--server`): its waits are real time, so there is no simulated time to show.
    public var simulatedClock = true
    public var passed: Int { results.filter { $0.status == .passed }.count }
    public var failed: Int { results.count - passed }
    public var outputErrors: [String] { results.flatMap(\.outputErrors) }
    /// Files in the order given, each with its scenarios (a JUnit testsuite per file).
    public var byFile: [(file: String, results: [ScenarioResult])] {
        var order: [String] = []
        var groups: [String: [ScenarioResult]] = [:]
        for result in results {
            if groups[result.file] == nil { order.append(result.file) }
            groups[result.file, default: []].append(result)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }
}
