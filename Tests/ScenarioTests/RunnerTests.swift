import Device
import Foundation
import XCTest
@testable import Scenario

/// The runner over the real embedded server on 127.0.0.1:0, with a virtual clock.
final class RunnerTests: XCTestCase {
    func load(_ names: [String]) throws -> [Scenario] {
        let outcome = ScenarioLoader.load(names.map(Repo.demo), substitution: Substitution(), embedded: true, allowLongWaits: false)
        XCTAssertEqual(outcome.errors, [])
        return outcome.scenarios
    }

    func testMMT941DemoPasses() async throws {
        let result = await ScenarioRunner().run(try load(["MM-T941.yaml"]))
        XCTAssertEqual(result.results.count, 1)
        let scenario = try XCTUnwrap(result.results.first)
        XCTAssertEqual(scenario.status, .passed, scenario.failure?.details ?? "")
        XCTAssertEqual(scenario.steps.count, 14)
        XCTAssertGreaterThanOrEqual(scenario.virtualMillis, 180_000, "the 3m wait moved the virtual clock")
        XCTAssertLessThan(scenario.realMillis, Double(scenario.virtualMillis), "and cost no real minutes")
    }

    func testEveryDemoFilePasses() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repo.demo(""))
            .filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 8)
        let result = await ScenarioRunner().run(try load(files))
        for scenario in result.results {
            XCTAssertEqual(scenario.status, .passed, "\(scenario.name): \(scenario.failure?.details ?? "")")
        }
        XCTAssertEqual(result.passed, files.count)
    }

    /// The real app's rules on MM-T941's airplane variant: the reconnect alone never logs out.
    func testTheRealAppModelDoesNotPassMMT941AsWritten() async throws {
        var options = RunOptions()
        options.defaultApp = .mattermostMobile
        let result = await ScenarioRunner(options: options).run(try load(["MM-T941.yaml"]))
        let scenario = try XCTUnwrap(result.results.first)
        XCTAssertEqual(scenario.status, .failed)
        let details = scenario.failure?.details ?? ""
        XCTAssertTrue(details.contains("expected screen login, got screen channels"), details)
    }

    /// A 721 h wait with a phone logged in costs what happens in it (idle pings skipped in strides), and the
    /// 720 h mobile session expires.
    func testAMonthLongWaitEndsInTheSessionExpiry() async throws {
        let scenario = try parse(withSteps("""
              - launch: phone
              - login: phone
              - wait: 719h
              - assertScreen: { device: phone, screen: channels }
              - wait: 2h
              - assertScreen: { device: phone, screen: login }
            """))
        var options = RunOptions()
        options.stepTimeoutSeconds = 20
        let result = await ScenarioRunner(options: options).run([scenario])
        let outcome = try XCTUnwrap(result.results.first)
        XCTAssertEqual(outcome.status, .passed, outcome.failure?.details ?? "")
    }

    func testWrongExpectationFailsWithAClearReport() async throws {
        let scenario = try parse(withSteps("""
              - launch: phone
              - login: phone
              - airplane: { device: phone, on: true }
              - revokeAllSessions: { as: sysadmin }
              - wait: 3m
              - assertScreen: { device: phone, screen: login }
              - assertTokenCache: { device: phone, empty: true }
            """), file: "wrong.yaml")
        let result = await ScenarioRunner().run([scenario])
        let failed = try XCTUnwrap(result.results.first)
        XCTAssertEqual(failed.status, .failed)
        let failure = try XCTUnwrap(failed.failure)
        XCTAssertEqual(failure.stepIndex, 5)
        XCTAssertEqual(failure.location, SourceLocation(file: "wrong.yaml", line: 10, column: 5))
        XCTAssertEqual(failure.step, "assertScreen: {device: phone, screen: login}")
        XCTAssertEqual(failure.expected, "screen login")
        XCTAssertEqual(failure.actual, "screen channels (banner: Unable to connect to network)")
        XCTAssertEqual(failure.device, "phone")
        // The phone as the app draws it: its frame titled with the device, the channel list, the banner.
        XCTAssertTrue(failure.screen.first?.contains("phone · user-1 [ref]") ?? false, "\(failure.screen)")
        XCTAssertTrue(failure.screen.contains { $0.contains("Town Square") }, "\(failure.screen)")
        XCTAssertFalse(failure.timeline.isEmpty)
        XCTAssertEqual(failed.steps.last?.status, .skipped, "steps after the failure are skipped")
        let summary = HumanSummary.text(result)
        XCTAssertTrue(summary.contains("FAIL  test  (wrong.yaml"))
        XCTAssertTrue(summary.contains("expected: screen login"))
        XCTAssertTrue(summary.contains("Unable to connect to"), summary)
    }

    func testPostingWhileLoggedOutFails() async throws {
        let scenario = try parse(withSteps("""
              - launch: phone
              - post: { device: phone, channel: Town Square, text: hello }
            """))
        let result = await ScenarioRunner().run([scenario])
        XCTAssertEqual(result.results.first?.failure?.expected, "phone to be logged in to post")
    }

    func testStepThatNeverSettlesTimesOutInsteadOfHanging() async throws {
        let scenario = try parse(withSteps("  - launch: phone\n  - login: phone"))
        let result = await ScenarioRunner(options: RunOptions(stepTimeoutSeconds: 0.001)).run([scenario])
        let failure = try XCTUnwrap(result.results.first?.failure)
        XCTAssertTrue(failure.expected.hasPrefix("the step to finish within"), failure.expected)
    }

    func testOnDemandUserAndRevokeSession() async throws {
        let scenario = try parse("""
            name: user-7 and one session
            devices:
              phone: { user: user-7 }
              other: { user: user-7 }
            steps:
              - launch: phone
              - launch: other
              - login: phone
              - login: other
              - revokeSession: { as: sysadmin, device: phone }
              - wait: 30s
              - assertScreen: { device: phone, screen: login }
              - assertScreen: { device: other, screen: channels }
              - deactivateUser: { as: sysadmin, user: user-7 }
              - wait: 30s
              - assertScreen: { device: other, screen: login }
            """)
        try ScenarioValidation.check(scenario, embedded: true, allowLongWaits: false)
        let result = await ScenarioRunner().run([scenario])
        XCTAssertEqual(result.results.first?.status, .passed, result.results.first?.failure?.details ?? "")
    }

    /// Issue #6: ten wrong passwords lock user-1 out (the phone says so), the System Console's Reset password
    /// clears the lockout, and the phone logs in with the new password.
    func testResetPasswordFromTheConsoleClearsALockout() async throws {
        let wrongTen = Array(repeating: "- login: { device: phone, password: not-the-password }", count: 10).joined(separator: "\n  ")
        let scenario = try parse("""
            name: lockout cleared by Reset password
            devices:
              phone: { user: user-1 }
            steps:
              - launch: phone
              \(wrongTen)
              - login: phone
              - assertScreen: { device: phone, screen: login }
              - assertVisible: { device: phone, text: locked because of too many failed password attempts }
              - resetPassword: { as: sysadmin, user: user-1, password: "${NEW_PASSWORD}" }
              - login: phone
              - assertScreen: { device: phone, screen: login }
              - login: { device: phone, password: "${NEW_PASSWORD}" }
              - assertScreen: { device: phone, screen: channels }
            """, values: ["NEW_PASSWORD": "Reset-Passw0rd-61"])
        try ScenarioValidation.check(scenario, embedded: true, allowLongWaits: false)
        let result = await ScenarioRunner().run([scenario])
        XCTAssertEqual(result.results.first?.status, .passed, result.results.first?.failure?.details ?? "")
        let outputs = [HumanSummary.text(result), JUnitReport.xml(result), String(decoding: JSONReport.data(result), as: UTF8.self)]
        for output in outputs { XCTAssertFalse(output.contains("Reset-Passw0rd-61"), output) }
    }

    /// The server's password rules decide; a refused reset fails the step with Mattermost's reason.
    func testATooShortResetFailsTheStep() async throws {
        let scenario = try parse(withSteps("""
              - resetPassword: { as: sysadmin, user: user-1, password: Short1! }
            """))
        let result = await ScenarioRunner().run([scenario])
        let failure = try XCTUnwrap(result.results.first?.failure)
        XCTAssertEqual(failure.expected, "the password of user-1 to be reset")
        XCTAssertTrue(failure.actual.contains("model.user.is_valid.pwd_min_length.app_error"), failure.actual)
        XCTAssertFalse(failure.details.contains("Short1!"), failure.details)
    }

    /// What `mmsim demo` draws in its System Console pane: the scenario's own console, after its first step.
    func testStepEventsCarryTheConsoleThatWasUsed() async throws {
        let events = EventLog()
        let result = await ScenarioRunner(options: RunOptions(observers: [events])).run(try load(["MM-T941.yaml"]))
        XCTAssertEqual(result.passed, 1)
        let seen = await events.consoles
        XCTAssertNil(seen.first ?? nil, "no console before a console step")
        let last = try XCTUnwrap(seen.last ?? nil)
        XCTAssertEqual(last.username, "sysadmin")
        XCTAssertEqual(last.users.first { $0.user.username == "user-1" }?.sessionCount, 0, "user-1's session is gone")
        XCTAssertTrue(last.log.contains { $0.text == "Revoke All Sessions: done" }, last.log.map(\.text).joined(separator: "\n"))
    }

    actor EventLog: RunObserver {
        var consoles: [SystemConsole.State?] = []
        func stepFinished(_ event: StepEvent) async { consoles.append(event.console) }
    }

    /// Reports, snapshots and recordings never contain a password or token.
    func testNoSecretsInAnyOutput() async throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorder = AsciicastRecorder(url: folder.appendingPathComponent("run.cast"))
        var scenarios = try load(["MM-T941.yaml", "offline-messages.yaml"])
        scenarios.append(try parse(withSteps("  - launch: phone\n  - login: phone\n  - assertVisible: { device: phone, text: nope }")))
        let options = RunOptions(snapshotsDirectory: folder.appendingPathComponent("snaps"), observers: [recorder])
        let result = await ScenarioRunner(options: options).run(scenarios)
        try await recorder.write()
        var outputs = [HumanSummary.text(result), JUnitReport.xml(result), TAPReport.text(result),
                       String(decoding: JSONReport.data(result), as: UTF8.self)]
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        for file in files where !file.hasDirectoryPath { outputs.append((try? String(contentsOf: file, encoding: .utf8)) ?? "") }
        XCTAssertGreaterThan(files.count, 20, "snapshots after every step, and the recording")
        for output in outputs {
            XCTAssertFalse(output.contains("SampleUser@1"), output)
            XCTAssertFalse(output.contains("Sys@dmin-sample1"), output)
        }
        let cast = try String(contentsOf: folder.appendingPathComponent("run.cast"), encoding: .utf8)
        XCTAssertTrue(cast.contains("Log in to your account"), "the login screen was recorded")
        XCTAssertTrue(cast.contains("System Console › Users"), "as the demo shows it: phones, console, timeline")
    }
}
