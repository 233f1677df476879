import Foundation
import MMSimTestSupport
import XCTest

/// Exit codes of the built binary: 0 every revocation detected, 1 a phone missed it, 2 bad usage or input.
final class FleetCLITests: XCTestCase {
    func mmsim(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let output = try BuiltBinary.run(arguments, environment: environment)
        return (output.status, output.stdout, output.stderr)
    }

    func csv(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-fleet-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testSmallFleetPassesWithJSONOnStdout() throws {
        let out = try mmsim(["fleet", "--devices", "5", "--json", "-"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stderr.contains("revocations detected: 5/5"), out.stderr)
        XCTAssertTrue(out.stderr.hasSuffix("PASS\n"), out.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(json?["revocationsDetected"] as? Int, 5)
        XCTAssertNotNil(json?["serverMemory"], "the embedded server runs in its own process, measured apart")
        XCTAssertNotNil(json?["serverCPUSeconds"], "and so is its CPU")
        XCTAssertTrue(out.stderr.contains("together"), out.stderr)
        XCTAssertFalse(out.stderr.contains("\r"), "no progress bar when stderr is not a terminal")
    }

    func testBadUsageExitsTwo() throws {
        for arguments in [["fleet"], ["fleet", "--devices", "0"], ["fleet", "--devices", "3", "--concurrency", "0"],
                          ["fleet", "--devices", "3", "--credentials", "x.csv"], ["fleet", "--server", "ftp://x"],
                          ["fleet", "--devices", "3", "--bogus"]] {
            let out = try mmsim(arguments)
            XCTAssertEqual(out.status, 2, "\(arguments): \(out.stderr)")
        }
    }

    func testBadCredentialsFileExitsTwoWithPosition() throws {
        let file = try csv("alice,pw\nbob\n")
        let out = try mmsim(["fleet", "--server", "http://127.0.0.1:9", "--credentials", file],
                            environment: ["MMSIM_ADMIN_USER": "admin", "MMSIM_ADMIN_PASSWORD": "pw"])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("\(file):2: error: expected 'username,password'"), out.stderr)
    }

    func testMissingAdminExitsTwo() throws {
        let out = try mmsim(["fleet", "--server", "http://127.0.0.1:9", "--credentials", try csv("alice,pw\n")],
                            environment: ["MMSIM_ADMIN_USER": "", "MMSIM_ADMIN_PASSWORD": ""])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("MMSIM_ADMIN_USER"), out.stderr)
    }

    func testUnreachableServerExitsTwoBeforeAnyPhone() throws {
        let out = try mmsim(["fleet", "--server", "http://127.0.0.1:9", "--credentials", try csv("alice,pw\nbob,pw\n")],
                            environment: ["MMSIM_ADMIN_USER": "admin", "MMSIM_ADMIN_PASSWORD": "pw"])
        XCTAssertEqual(out.status, 2, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("is not reachable"), out.stderr)
        XCTAssertFalse(out.stdout.contains("never logged in"), out.stdout)
    }
}
