import Foundation
import MMSimTestSupport
import XCTest
@testable import Scenario

/// `mmsim run --jobs N`: scenarios at once, and everything said about them exactly as with one at a time.
final class JobsTests: XCTestCase {
    /// Passing and failing scenarios, tags (one is left out), two of the same name: the suite both runs go through.
    func writeSuite(in folder: URL) throws -> URL {
        let suite = folder.appendingPathComponent("suite")
        try FileManager.default.createDirectory(at: suite, withIntermediateDirectories: true)
        let demo = try String(contentsOfFile: Repo.demo("MM-T941.yaml"), encoding: .utf8)
        let files: [(String, String)] = [
            ("01-mm-t941.yaml", demo),
            ("02-wrong-screen.yaml", withSteps("  - launch: phone\n  - login: phone\n  - assertScreen: { device: phone, screen: login }")
                .replacingOccurrences(of: "name: test", with: "name: wrong screen\ntags: [smoke]")),
            ("03-offline.yaml", try String(contentsOfFile: Repo.demo("offline-messages.yaml"), encoding: .utf8)),
            ("04-not-visible.yaml", withSteps("  - launch: phone\n  - assertVisible: { device: phone, text: nowhere }")),
            ("05-left-out.yaml", withSteps("  - launch: phone").replacingOccurrences(of: "name: test", with: "name: left out\ntags: [slow]")),
            ("06-same-name.yaml", withSteps("  - launch: phone\n  - login: phone\n  - assertScreen: { device: phone, screen: channels }")),
            ("07-revoke-one.yaml", try String(contentsOfFile: Repo.demo("revoke-one-user.yaml"), encoding: .utf8)),
        ]
        for (name, text) in files { try text.write(to: suite.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return suite
    }

    struct Run {
        var status: Int32
        var stdout: String
        var junit: String
        var tap: String
        var json: String
    }

    func run(jobs: Int, suite: URL, in folder: URL) throws -> Run {
        let out = folder.appendingPathComponent("jobs-\(jobs)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let junit = out.appendingPathComponent("r.xml"), tap = out.appendingPathComponent("r.tap"), json = out.appendingPathComponent("r.json")
        let result = try BuiltBinary.run(["run", "--jobs", "\(jobs)", suite.path, "--exclude-tags", "slow",
                                          "--junit", junit.path, "--tap", tap.path, "--json", json.path], timeoutSeconds: 300)
        XCTAssertFalse(result.timedOut)
        XCTAssertEqual(result.stderr, "", "nothing on stderr with --jobs \(jobs)")
        return Run(status: result.status, stdout: result.stdout, junit: try String(contentsOf: junit, encoding: .utf8),
                   tap: try String(contentsOf: tap, encoding: .utf8), json: try String(contentsOf: json, encoding: .utf8))
    }

    /// What differs between any two runs: real milliseconds, and the server's port and ids in a failure's screen
    /// and timeline (each scenario has its own server).
    func masked(_ text: String) -> String {
        let patterns = [#"\d+(\.\d+)? (ms|s) real"#, #"failed \(\d+(\.\d+)? (ms|s)\)"#, #"time="[0-9.]+""#, #""realMillis" : [0-9.e+-]+"#,
                        #"127\.0\.0\.1:\d+"#, #"\b[a-z0-9]{26}\b"#]
        var out = text
        for pattern in patterns {
            out = out.replacingOccurrences(of: pattern, with: "<masked>", options: .regularExpression)
        }
        return out
    }

    func testThreeJobsSayExactlyWhatOneJobSays() throws {
        try BuiltBinary.requireBuilt()
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = try writeSuite(in: folder)
        let one = try run(jobs: 1, suite: suite, in: folder)
        let three = try run(jobs: 3, suite: suite, in: folder)
        XCTAssertEqual(one.status, 1, one.stdout)
        XCTAssertEqual(three.status, one.status)
        XCTAssertTrue(one.stdout.contains("6 scenarios: 4 passed, 2 failed"), one.stdout)
        XCTAssertTrue(one.stdout.contains("expected: \"nowhere\" on the screen"), one.stdout)
        XCTAssertEqual(masked(three.stdout), masked(one.stdout))
        XCTAssertEqual(masked(three.junit), masked(one.junit))
        XCTAssertEqual(masked(three.tap), masked(one.tap))
        XCTAssertEqual(masked(three.json), masked(one.json))
        XCTAssertNotEqual(masked(one.json), one.json, "the timings were masked, not missing")
        let order = one.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
            .map { $0.split(separator: "(").last.map { String($0.split(separator: ",")[0]) } ?? "" }
        XCTAssertEqual(order, order.sorted(), "file order")
        XCTAssertEqual(order.count, 6)
    }

    func testBadJobsExitTwo() throws {
        for (arguments, message) in [(["--jobs", "0"], "--jobs must be between 1 and 256, got 0."),
                                     (["--jobs", "257"], "--jobs must be between 1 and 256, got 257."),
                                     (["--jobs", "many"], "--jobs"),
                                     (["--jobs", "2", "--record", "x.cast"], "--record records one scenario after another")] {
            let out = try BuiltBinary.run(["run", Repo.demo("MM-T941.yaml")] + arguments)
            XCTAssertEqual(out.status, 2, "\(arguments): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains(message), "\(arguments): \(out.stderr)")
            XCTAssertEqual(out.stdout, "", "nothing ran")
        }
    }

    /// Every scenario waits at its start until three have started: with three jobs they meet, so they overlapped.
    func testScenariosReallyRunAtOnce() async throws {
        let suite = (1...3).map { _ in Repo.demo("MM-T941.yaml") }
        let outcome = ScenarioLoader.load(suite, substitution: Substitution(), embedded: true, allowLongWaits: false)
        let meeting = Meeting(of: 3)
        var options = RunOptions(observers: [meeting])
        options.jobs = 3
        let runner = ScenarioRunner(options: options)
        // Only a guard against hanging forever if they never meet; nothing is measured.
        let result = await RealTimeCap.run(seconds: 120) { await runner.run(outcome.scenarios) }
        let run = try XCTUnwrap(result, "the three scenarios never ran at the same time")
        XCTAssertEqual(run.passed, 3)
    }

    actor Meeting: RunObserver {
        let size: Int
        var arrived = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        init(of size: Int) { self.size = size }

        func scenarioStarted(_ scenario: Scenario, screens: StepEvent) async {
            arrived += 1
            if arrived >= size {
                for continuation in waiting { continuation.resume() }
                waiting = []
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }
    }

    /// Two scenarios of the same name get a folder each (the second `-2`), not one folder written twice at once.
    func testSnapshotFoldersOfSameNamedScenariosDoNotClash() async throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try parse(withSteps("  - launch: phone\n  - snapshot: { device: phone, name: start }"), file: "a.yaml")
        let second = try parse(withSteps("  - launch: phone\n  - login: phone\n  - snapshot: { device: phone, name: start }"), file: "b.yaml")
        let snaps = folder.appendingPathComponent("snaps")
        var options = RunOptions(snapshotsDirectory: snaps)
        options.jobs = 2
        let result = await ScenarioRunner(options: options).run([first, second])
        XCTAssertEqual(result.passed, 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: snaps.path).sorted(), ["test", "test-2"])
        let a = try String(contentsOf: snaps.appendingPathComponent("test/start.txt"), encoding: .utf8)
        let b = try String(contentsOf: snaps.appendingPathComponent("test-2/start.txt"), encoding: .utf8)
        XCTAssertTrue(a.contains("Log in to your account"), a)
        XCTAssertFalse(b.contains("Log in to your account"), "the second one logged in: \(b)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: snaps.appendingPathComponent("test-2").path).sorted(),
                       ["01-launch.txt", "02-login.txt", "03-snapshot.txt", "start.txt"])
    }
}
