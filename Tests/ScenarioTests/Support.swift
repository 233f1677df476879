import Foundation
import MMSimTestSupport
import XCTest
@testable import Scenario

/// Paths and small helpers shared by the scenario tests.
enum Repo {
    static let root = BuiltBinary.root
    static func demo(_ name: String) -> String { root.appendingPathComponent("demo/\(name)").path }
    static func temporaryFolder() -> URL { BuiltBinary.temporaryFolder("scenario-tests") }
}

func parse(_ yaml: String, file: String = "test.yaml", values: [String: String] = [:]) throws -> Scenario {
    try ScenarioParser.parse(yaml, file: file, substitution: Substitution(values: values))
}

func parseError(_ yaml: String, values: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> ScenarioError? {
    do {
        _ = try ScenarioParser.parse(yaml, file: "bad.yaml", substitution: Substitution(values: values))
        XCTFail("expected a parse error", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// A scenario around some steps, with one phone (user-1) already defined.
func withSteps(_ steps: String) -> String {
    """
    name: test
    devices:
      phone: { user: user-1, password: SampleUser@1 }
    steps:
    \(steps)
    """
}
