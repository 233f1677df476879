import Foundation
import MMSimTestSupport
import XCTest

/// The commands under hostile or careless conditions: full disks, odd paths, bad inputs.
final class CommandHardeningTests: XCTestCase {
    /// /dev/full fails every write with ENOSPC, like a full disk: the server goes on, the loss is reported once.
    func testFullDiskLogFileDropsLinesAndServerGoesOn() throws {
        let server = try RunningBinary(["serve", "--ephemeral", "--port", "0", "--log-file", "/dev/full", "--log-level", "trace"])
        XCTAssertTrue(server.waitForOutput("listening"), server.stderr)
        server.signal(SIGTERM)
        XCTAssertEqual(server.finish(), 0, server.stderr)
        let reports = server.stderr.components(separatedBy: "cannot write the log file /dev/full").count - 1
        XCTAssertEqual(reports, 1, "reported once: \(server.stderr)")
        XCTAssertTrue(server.stderr.contains("No space left on device"), server.stderr)
    }

    func testLogFileNamingAFolderExitsTwo() throws {
        let folder = BuiltBinary.temporaryFolder("logdir")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try BuiltBinary.run(["run", "demo", "--check", "--log-file", folder.path], timeoutSeconds: 30)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("--log-file \(folder.path): cannot open it for writing: it is a folder"), out.stderr)
    }
}
