import Foundation
import MMSimTestSupport
import XCTest

/// The built binary's exit codes: 0 all passed, 1 a scenario failed, 2 bad file / usage / nothing matched.
final class CLITests: XCTestCase {
    typealias Output = BuiltBinary.Output

    func mmsim(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try BuiltBinary.run(arguments, environment: environment)
    }

    func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testDemoFolderPassesWithReports() throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let junit = folder.appendingPathComponent("junit.xml").path
        let out = try mmsim(["run", "demo", "--junit", junit, "--json", folder.appendingPathComponent("r.json").path])
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        let count = (try FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent("demo").path)).filter { $0.hasSuffix(".yaml") }.count
        XCTAssertTrue(out.stdout.contains("\(count) scenarios: \(count) passed, 0 failed"), out.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: junit))
    }

    func testFailingScenarioExitsOne() throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write(withSteps("  - launch: phone\n  - assertScreen: { device: phone, screen: channels }"), "wrong.yaml", in: folder)
        let out = try mmsim(["run", file, "--tap", "-"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stdout.contains("not ok 1 - test"), out.stdout)
        XCTAssertTrue(out.stderr.contains("expected: screen channels"), "summary on stderr when TAP is on stdout: \(out.stderr)")
        XCTAssertTrue(out.stderr.contains("actual:   screen login"))
    }

    /// A --server that is not there is bad input, said before any scenario runs (every scenario failed, exit 1).
    func testAServerThatIsNotThereIsRefusedBeforeAnyScenario() throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write(withSteps("  - launch: phone"), "one.yaml", in: folder)
        let out = try mmsim(["run", file, "--server", "http://127.0.0.1:9"])
        XCTAssertEqual(out.status, 2, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("http://127.0.0.1:9 is not reachable (connection refused): is --server right?"),
                      out.stderr)
        XCTAssertEqual(out.stdout, "", "no scenario ran")
    }

    /// A report that surely cannot be written is said before the run, not after it (permission bits pass for
    /// root in /proc: the folder is tried for real).
    func testAnUnwritableReportPathIsRefusedBeforeTheRun() throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write(withSteps("  - launch: phone"), "one.yaml", in: folder)
        for (flag, path) in [("--junit", "/proc/mmsim-report.xml"), ("--tap", folder.path), ("--json", "/dev/null/x.json")] {
            let out = try mmsim(["run", file, flag, path])
            XCTAssertEqual(out.status, 2, "\(flag) \(path): \(out.stdout + out.stderr)")
            XCTAssertTrue(out.stderr.contains("mmsim: \(flag): cannot write \(path)"), out.stderr)
            XCTAssertEqual(out.stdout, "", "\(flag) \(path): no scenario ran")
        }
    }

    func testMalformedFileExitsTwoWithPosition() throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try write(withSteps("  - launch: phone"), "good.yaml", in: folder)
        let bad = try write(withSteps("  - launch: phone\n  - wait: 3"), "bad.yaml", in: folder)
        let out = try mmsim(["run", good, bad])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("\(bad):6:11: error: wait: a bare number is ambiguous"), out.stderr)
        XCTAssertEqual(out.stdout, "", "nothing ran: all files are validated first")
    }

    func testUnsetKeyExitsTwoAndEnvFileSetsIt() throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write("name: x\ndevices: { phone: { user: user-1, password: \"${PHONE_PASSWORD}\" } }\nsteps: [ { launch: phone } ]\n",
                             "env.yaml", in: folder)
        let unset = try mmsim(["run", file])
        XCTAssertEqual(unset.status, 2)
        XCTAssertTrue(unset.stderr.contains("${PHONE_PASSWORD} is not set"), unset.stderr)
        let envFile = try write("PHONE_PASSWORD=SampleUser@1\n", "secrets.env", in: folder)
        XCTAssertEqual(try mmsim(["run", file, "--env-file", envFile]).status, 0)
        XCTAssertEqual(try mmsim(["run", file], environment: ["PHONE_PASSWORD": "SampleUser@1"]).status, 0)
    }

    func testCheckTagsAndUsage() throws {
        XCTAssertEqual(try mmsim(["run", "demo", "--check"]).status, 0)
        let none = try mmsim(["run", "demo", "--include-tags", "no-such-tag"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("no scenario matched"))
        XCTAssertEqual(try mmsim(["run", "demo/MM-T941.yaml", "--exclude-tags", "system-console", "--check"]).status, 2)
        XCTAssertEqual(try mmsim(["run", "demo", "--include-tags", "outbox", "--check"]).stdout, "ok: 1 scenario valid\n")
        XCTAssertEqual(try mmsim(["run", "no/such/file.yaml"]).status, 2)
        XCTAssertEqual(try mmsim(["run"]).status, 2)
        XCTAssertEqual(try mmsim(["run", "demo", "--no-such-flag"]).status, 2)
        XCTAssertEqual(try mmsim(["run", "demo", "-e", "not-an-assignment"]).status, 2)
    }

    func testLongRealWaitIsRefusedAgainstAServer() throws {
        let folder = Repo.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try write(withSteps("  - wait: 11m") + "\n", "long.yaml", in: folder)
        let out = try mmsim(["run", file, "--server", "http://127.0.0.1:9", "--check"])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("pass --allow-long-waits"), out.stderr)
        XCTAssertEqual(try mmsim(["run", file, "--server", "http://127.0.0.1:9", "--check", "--allow-long-waits"]).status, 0)
    }
}
