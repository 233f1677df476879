import Foundation

/// The whole run as JSON, for dashboards and scripts.
public enum JSONReport {
    struct Run: Encodable {
        var passed: Int
        var failed: Int
        var realMillis: Double
        var scenarios: [ScenarioJSON]
    }

    struct ScenarioJSON: Encodable {
        var file: String
        var name: String
        var tags: [String]
        var status: String
        var realMillis: Double
        var virtualMillis: Int64
        var steps: [StepJSON]
        var failure: FailureJSON?
    }

    struct StepJSON: Encodable {
        var index: Int
        var step: String
        var at: String
        var status: String
        var realMillis: Double
        var virtualMillis: Int64
    }

    struct FailureJSON: Encodable {
        var step: String
        var at: String
        var expected: String
        var actual: String
        var device: String?
        var screen: [String]
        var timeline: [String]
    }

    public static func data(_ run: RunResult) -> Data {
        let value = Run(passed: run.passed, failed: run.failed, realMillis: (run.realMillis * 1000).rounded() / 1000,
                        scenarios: run.results.map { r in
            ScenarioJSON(file: r.file, name: r.name, tags: r.tags, status: r.status.rawValue,
                         realMillis: (r.realMillis * 1000).rounded() / 1000, virtualMillis: r.virtualMillis,
                         steps: r.steps.map { StepJSON(index: $0.index + 1, step: $0.summary, at: $0.location.description,
                                                       status: $0.status.rawValue, realMillis: (($0.realMillis * 1000).rounded()) / 1000,
                                                       virtualMillis: $0.virtualMillis) },
                         failure: r.failure.map { FailureJSON(step: $0.step, at: $0.location.description, expected: $0.expected,
                                                              actual: $0.actual, device: $0.device, screen: $0.screen, timeline: $0.timeline) })
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(value)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }
}
