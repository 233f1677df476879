import Foundation
import MMSimTestSupport
import Synchronization
import XCTest

/// Fleets beyond one machine, on one: shard processes of the built binary against one `mmsim serve`, their
/// reports merged by `mmsim fleet merge`.
final class FleetShardCLITests: XCTestCase {
    static let admin = ["MMSIM_ADMIN_USER": "sysadmin", "MMSIM_ADMIN_PASSWORD": "Sys@dmin-sample1"]

    func folder() -> URL {
        let url = BuiltBinary.temporaryFolder("shards")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], path)
    }

    func testThreeShardProcessesAgainstOneServerMergeToTheirSum() throws {
        let url = try serveEphemeral(users: 30)
        let dir = folder()
        let paths = (1...3).map { dir.appendingPathComponent("shard-\($0).json").path }
        let outputs = Mutex<[Int: BuiltBinary.Output]>([:])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { index in
            do {
                let out = try BuiltBinary.run(["fleet", "--server", url, "--devices", "30", "--shard", "\(index + 1)/3",
                                               "--concurrency", "8", "--json", paths[index]],
                                              environment: Self.admin, timeoutSeconds: 120)
                outputs.withLock { $0[index] = out }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        for index in 0..<3 {
            let out = try XCTUnwrap(outputs.withLock { $0[index] })
            XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
            XCTAssertTrue(out.stdout.contains("shard \(index + 1)/3 (phones \(index * 10 + 1)–\(index * 10 + 10) of 30): 10 phones"),
                          out.stdout)
            XCTAssertTrue(out.stdout.contains("revoke users"), out.stdout)
        }

        let mergedPath = dir.appendingPathComponent("merged.json").path
        let merge = try BuiltBinary.run(["fleet", "merge"] + paths + ["--json", mergedPath])
        XCTAssertEqual(merge.status, 0, merge.stdout + merge.stderr)
        XCTAssertTrue(merge.stdout.contains("merge of 3 reports: 30 phones"), merge.stdout)
        XCTAssertTrue(merge.stdout.hasSuffix("PASS\n"), merge.stdout)

        let shards = try paths.map(json)
        let merged = try json(mergedPath)
        for key in ["devices", "revocationsDetected", "missed", "wrongLogouts"] {
            XCTAssertEqual(merged[key] as? Int, shards.reduce(0) { $0 + ($1[key] as? Int ?? -1_000) }, key)
        }
        XCTAssertEqual(merged["devices"] as? Int, 30)
        XCTAssertEqual(merged["revocationsDetected"] as? Int, 30)
        func phases(_ report: [String: Any]) -> [[String: Any]] { report["phases"] as? [[String: Any]] ?? [] }
        for (index, phase) in phases(merged).enumerated() {
            XCTAssertEqual(phase["requests"] as? Int, shards.reduce(0) { $0 + (phases($1)[index]["requests"] as? Int ?? -1_000) })
        }
        let reconnect = try XCTUnwrap(phases(merged).first { $0["name"] as? String == "reconnect" }?["latency"] as? [String: Any])
        XCTAssertEqual(reconnect["count"] as? Int, 30)
        XCTAssertNotNil((reconnect["histogram"] as? [String: Any])?["buckets"])
        XCTAssertEqual((merged["shards"] as? [[String: Any]])?.count, 3)
        XCTAssertNotNil(merged["worstShard"] as? String)
    }

    func testBadShardAndRevokeOptionsExitTwo() throws {
        for (arguments, message) in [
            (["fleet", "--devices", "3", "--shard", "x"], "--shard expects I/N"),
            (["fleet", "--devices", "3", "--shard", "4/3"], "I must be from 1 to 3"),
            (["fleet", "--devices", "3", "--shard", "1/4"], "use at most 3 shards"),
            (["fleet", "--devices", "3", "--revoke", "sometimes"], "--revoke expects all, users or at=TIME"),
            (["fleet", "--devices", "3", "--revoke", "at=2001-01-01T00:00:00Z"], "is not in the future"),
            (["fleet", "--devices", "3", "--revoke", "at=9999-12-31T23:59:59Z"], "more than 24: is its offset right (Z is UTC)?"),
            (["fleet", "merge"], "Missing expected argument"),
            (["fleet", "merge", NSTemporaryDirectory()], "error: is a directory: give the report files"),
        ] {
            let out = try BuiltBinary.run(arguments)
            XCTAssertEqual(out.status, 2, "\(arguments): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains(message), "\(arguments): \(out.stderr)")
        }
    }

    /// A shard waiting for its revoke time says when it will revoke, and SIGTERM ends it at once.
    func testAShardWaitingForItsRevokeTimeSaysWhenAndStopsOnSIGTERM() throws {
        let formatter = ISO8601DateFormatter()
        let time = formatter.string(from: Date().addingTimeInterval(3600 + 30))
        let fleet = try RunningBinary(["fleet", "--devices", "2", "--shard", "1/1", "--revoke", "at=\(time)"])
        let notice = "mmsim fleet: revoking all sessions at \(time), in 1 h 0 min"
        XCTAssertTrue(fleet.waitForError(notice), fleet.stderr)
        fleet.signal(SIGTERM)
        XCTAssertNotEqual(fleet.finish(timeoutSeconds: 10), -1, "ended by SIGTERM, not killed after the deadline: \(fleet.stderr)")
    }

    func testShardsOfSharedUsersCannotRevokeByUser() throws {
        let dir = folder()
        let csv = dir.appendingPathComponent("users.csv")
        try "alice,pw\nbob,pw\n".write(to: csv, atomically: true, encoding: .utf8)
        let out = try BuiltBinary.run(["fleet", "--server", "http://127.0.0.1:9", "--credentials", csv.path, "--devices", "4",
                                       "--shard", "1/2"], environment: Self.admin)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("needs an account per phone: 4 phones, 2 credentials"), out.stderr)
    }

    func testAPhoneWhoseLoginIsRefusedSaysWhatItShows() throws {
        let url = try serveEphemeral(users: 2)
        let dir = folder()
        let csv = dir.appendingPathComponent("users.csv")
        let report = dir.appendingPathComponent("report.json").path
        try "user-1,SampleUser@1\nuser-2,not-her-password\n".write(to: csv, atomically: true, encoding: .utf8)
        let out = try BuiltBinary.run(["fleet", "--server", url, "--credentials", csv.path, "--phase-timeout", "60",
                                       "--json", report], environment: Self.admin)
        XCTAssertEqual(out.status, 1, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("phone-2: never logged in, banner: Enter a valid email or username and/or password."),
                      out.stdout)
        XCTAssertFalse(out.stdout.contains("not-her-password"), "a password never reaches the report")
        let login = try XCTUnwrap((try json(report)["phases"] as? [[String: Any]])?.first { $0["name"] as? String == "login" })
        XCTAssertLessThan(try XCTUnwrap(login["wallSeconds"] as? Double), 60,
                          "a refused login is not retried: the phase does not wait for its deadline")
    }

    func testMergeOfAMalformedReportNamesTheFile() throws {
        let bad = folder().appendingPathComponent("bad.json")
        try "{\"devices\": 3}".write(to: bad, atomically: true, encoding: .utf8)
        let out = try BuiltBinary.run(["fleet", "merge", bad.path])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("\(bad.path): error: not a fleet report (mmsim fleet --json): missing"), out.stderr)
    }

    func testServeUsersNeedsEphemeral() throws {
        let out = try BuiltBinary.run(["serve", "--port", "0", "--users", "3"])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("--users needs --ephemeral"), out.stderr)
    }
}
