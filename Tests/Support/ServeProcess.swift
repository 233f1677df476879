import Foundation
import XCTest

extension XCTestCase {
    /// `mmsim serve --ephemeral --port 0 --users N` for this test (stopped at its end), and its URL: a server
    /// given with `--server` must answer, or the command refuses before it starts.
    public func serveEphemeral(users: Int) throws -> String {
        let server = try RunningBinary(["serve", "--ephemeral", "--port", "0", "--users", "\(users)", "--log-level", "warning"])
        addTeardownBlock {
            server.signal(SIGTERM)
            _ = server.finish()
        }
        let prefix = "mmsim server listening on "
        XCTAssertTrue(server.waitForOutput(prefix), server.stderr)
        let line = try XCTUnwrap(server.stdout.split(separator: "\n").first { $0.hasPrefix(prefix) })
        return String(try XCTUnwrap(line.dropFirst(prefix.count).split(separator: " ").first))
    }
}
