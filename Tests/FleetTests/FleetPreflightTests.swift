import Device
@testable import Fleet
import Foundation
import MMSimTestSupport
import XCTest

/// A fleet pointed at a real server checks it before any phone starts: a wrong URL or admin password is bad input
/// (exit 2, said at once), not 10,000 phones that missed the revocation.
final class FleetPreflightTests: XCTestCase {
    static let admin = ["MMSIM_ADMIN_USER": "sysadmin", "MMSIM_ADMIN_PASSWORD": "Sys@dmin-sample1"]

    func fleet(_ server: String, admin: [String: String] = admin) throws -> BuiltBinary.Output {
        try BuiltBinary.run(["fleet", "--server", server, "--devices", "2"], environment: admin)
    }

    func testAServerThatIsNotThereIsBadInput() throws {
        let out = try fleet("http://127.0.0.1:9")
        XCTAssertEqual(out.status, 2, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("http://127.0.0.1:9 is not reachable (connection refused): is --server right?"),
                      out.stderr)
        XCTAssertFalse(out.stdout.contains("phase"), "no phone started: \(out.stdout)")
    }

    func testAURLThatIsNotMattermostIsBadInput() throws {
        let url = try serveEphemeral(users: 2) + "/not-mattermost"
        let out = try fleet(url)
        XCTAssertEqual(out.status, 2, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("\(url) does not answer as a Mattermost server (GET /api/v4/system/ping: 404"),
                      out.stderr)
    }

    func testAWrongAdminPasswordIsBadInputAndStaysSecret() throws {
        let url = try serveEphemeral(users: 2)
        let out = try fleet(url, admin: ["MMSIM_ADMIN_USER": "sysadmin", "MMSIM_ADMIN_PASSWORD": "not-the-password"])
        XCTAssertEqual(out.status, 2, out.stdout + out.stderr)
        XCTAssertTrue(out.stderr.contains("the admin sysadmin cannot sign in at \(url): Enter a valid email or username "
                                          + "and/or password. (401 api.user.login.invalid_credentials_email_username)"),
                      out.stderr)
        XCTAssertFalse((out.stdout + out.stderr).contains("not-the-password"))
    }

    /// A login that found no server leaves the phone on its login screen, not retried: waiting for "live" is
    /// over, as for a refused one (the phase waited out its whole deadline).
    func testALoginThatReachedNoServerEndsTheWaitForLive() {
        let probe = FleetProbe(index: 0)
        var state = DeviceState(name: "phone-1", deviceID: "d1", serverURL: "http://127.0.0.1:9")
        state.loginForm.submitting = true
        probe.see(state)
        XCTAssertFalse(probe.snapshot.settled(.live))
        state.loginForm.submitting = false
        state.banner = .unreachable
        probe.see(state)
        XCTAssertTrue(probe.snapshot.settled(.live))
    }
}
