import Foundation
import MMSimTestSupport
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Scenario

final class ReportTests: XCTestCase {
    /// One passing and one failing scenario, without a server: reports are pure functions of results.
    static let run: RunResult = {
        let location = SourceLocation(file: "demo/x.yaml", line: 9, column: 5)
        let failure = StepFailure(stepIndex: 2, step: "assertScreen: {device: phone, screen: login}", location: location,
                                  expected: "screen login", actual: "screen channels <&\"'>", device: "phone",
                                  screen: ["[phone] · channels · user-1 · live", "  # Town Square"],
                                  timeline: ["+0m03.000s request  GET /api/v4/users/me → 200"])
        let step = StepResult(index: 0, summary: "launch: phone", location: location, status: .passed, realMillis: 1.5, virtualMillis: 0)
        return RunResult(results: [
            ScenarioResult(file: "demo/x.yaml", name: "passes", tags: [], status: .passed, realMillis: 12, virtualMillis: 180_000, steps: [step], failure: nil),
            ScenarioResult(file: "demo/x.yaml", name: "fails #1", tags: ["a"], status: .failed, realMillis: 20, virtualMillis: 0, steps: [step], failure: failure),
            ScenarioResult(file: "demo/y.yaml", name: "other", tags: [], status: .passed, realMillis: 5, virtualMillis: 0, steps: [], failure: nil),
        ], realMillis: 40)
    }()

    /// Against a real server waits are real time: the summary shows no "simulated" time (it said "5m450ms
    /// simulated" for what was real).
    func testTheSummaryShowsSimulatedTimeOnlyOnTheSimulatedClock() {
        XCTAssertTrue(HumanSummary.text(Self.run).contains(" simulated)"))
        var real = Self.run
        real.simulatedClock = false
        XCTAssertFalse(HumanSummary.text(real).contains("simulated"), HumanSummary.text(real))
    }

    /// CI tools group by the dotted classname: an absolute path gave ".tmp.nc.pass", an empty first package.
    func testJUnitClassnameOfAnAbsolutePathStartsWithAName() {
        XCTAssertEqual(JUnitReport.classname("/tmp/nc/pass.yaml"), "tmp.nc.pass")
        XCTAssertEqual(JUnitReport.classname("./demo/MM-T941.yml"), "demo.MM-T941")
    }

    func testJUnitIsWellFormedWithASuitePerFile() throws {
        let xml = JUnitReport.xml(Self.run)
        let document = try XMLDocument(xmlString: xml, options: [])
        let root = try XCTUnwrap(document.rootElement())
        XCTAssertEqual(root.name, "testsuites")
        XCTAssertEqual(root.attribute(forName: "tests")?.stringValue, "3")
        XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "1")
        let suites = root.elements(forName: "testsuite")
        XCTAssertEqual(suites.map { $0.attribute(forName: "name")?.stringValue }, ["demo/x.yaml", "demo/y.yaml"])
        let cases = suites[0].elements(forName: "testcase")
        XCTAssertEqual(cases.count, 2)
        XCTAssertEqual(cases[0].attribute(forName: "classname")?.stringValue, "demo.x")
        let failure = try XCTUnwrap(cases[1].elements(forName: "failure").first)
        XCTAssertTrue(failure.attribute(forName: "message")?.stringValue?.contains("screen channels <&\"'>") ?? false)
        XCTAssertTrue(failure.stringValue?.contains("  | [phone] · channels") ?? false)
        XCTAssertTrue(failure.stringValue?.contains("GET /api/v4/users/me") ?? false)
    }

    func testTAP() {
        let tap = TAPReport.text(Self.run)
        XCTAssertTrue(tap.hasPrefix("TAP version 14\n1..3\nok 1 - passes (demo/x.yaml)\nnot ok 2 - fails \\#1 (demo/x.yaml)\n  ---\n"))
        XCTAssertTrue(tap.contains("  expected: \"screen login\"\n  actual: \"screen channels <&\\\"'>\"\n"))
        XCTAssertTrue(tap.contains("  ...\nok 3 - other (demo/y.yaml)\n"))
    }

    func testJSON() throws {
        let object = try JSONSerialization.jsonObject(with: JSONReport.data(Self.run)) as? [String: Any]
        XCTAssertEqual(object?["passed"] as? Int, 2)
        XCTAssertEqual(object?["failed"] as? Int, 1)
        let scenarios = object?["scenarios"] as? [[String: Any]]
        XCTAssertEqual(scenarios?[1]["status"] as? String, "failed")
        let failure = scenarios?[1]["failure"] as? [String: Any]
        XCTAssertEqual(failure?["at"] as? String, "demo/x.yaml:9:5")
        XCTAssertEqual(failure?["screen"] as? [String], ["[phone] · channels · user-1 · live", "  # Town Square"])
    }

    func testScrubber() {
        let scrubber = Scrubber(["s3cret-pass", "abc"])
        XCTAssertEqual(scrubber.scrub("login with s3cret-pass"), "login with [redacted]")
        XCTAssertEqual(scrubber.scrub("abc"), "abc", "too short to scrub safely")
    }

    func testAsciicastHeaderAndEvents() async throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.cast")
        let recorder = AsciicastRecorder(url: url)
        let scenario = try parse(withSteps("  - wait: 3m\n    caption: Minutes pass"))
        var event = StepEvent(scenario: "test", index: 0, step: scenario.steps[0], screens: [("phone", ["[phone] · off", "(screen off)"])],
                              phones: [], virtualMillis: 180_000, result: nil)
        // The runner hands observers the step's summary and caption already cleaned for output.
        event.summary = scenario.steps[0].summary
        event.caption = scenario.steps[0].caption
        await recorder.scenarioStarted(scenario, screens: event)
        await recorder.stepFinished(event)
        try await recorder.write()
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let header = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        XCTAssertEqual(header?["version"] as? Int, 2)
        XCTAssertEqual(header?["width"] as? Int, AsciicastRecorder.width)
        var last = -1.0
        for line in lines.dropFirst() {
            let event = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
            let time = try XCTUnwrap(event[0] as? Double)
            XCTAssertGreaterThan(time, last, "times increase")
            last = time
            XCTAssertEqual(event[1] as? String, "o")
        }
        XCTAssertTrue(lines[2].contains("Minutes pass"))
    }
}

/// The JUnit file as a common CI parser reads it: Python's junitparser (used by many CI tools), when installed.
final class JUnitParserTests: XCTestCase {
    func testJunitparserReadsTheReport() throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("junit.xml")
        try JUnitReport.xml(ReportTests.run).write(to: file, atomically: true, encoding: .utf8)
        let script = """
            import sys
            from junitparser import JUnitXml
            xml = JUnitXml.fromfile(sys.argv[1])
            print(sum(s.tests for s in xml), sum(s.failures for s in xml))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        do { try process.run() } catch { throw MissingTool.error("python3 not available") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MissingTool.error("junitparser not installed (pip install junitparser)") }
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "3 1\n")
    }
}
