import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

/// Answers checked against Mattermost's handlers: api4/user.go updateUserActive, login (AuthenticateUserForLogin),
/// getSessions, updatePassword (TerminateSessionsOnPasswordChange), and web/handlers.go checkCSRFToken.
final class MattermostAnswersTests: ServerTestCase {
    private func setActive(_ server: TestServer, _ userID: String, _ active: Bool, token: String) async throws -> TestResponse {
        try await server.request(.PUT, APIPath.active(userID), token: token,
                                 body: try JSONEncoder().encode(UpdateActiveRequest(active: active)))
    }

    func testDeactivatingSomeoneElseNeedsThePermission() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let (_, other) = try await server.login("user-2")
        let refused = try await setActive(server, other.id, false, token: token)
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(try refused.appError().id, "api.user.update_active.permissions.app_error")
        // Re-activating oneself is no self-deactivation: the permission is needed too.
        let (mine, me) = try await server.login("user-3")
        let selfActivate = try await setActive(server, me.id, true, token: mine)
        XCTAssertEqual(try selfActivate.appError().id, "api.user.update_active.permissions.app_error")
    }

    func testSelfDeactivationIsOffByDefaultEvenForTheOnlyAdmin() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        for id in [user.id, "me"] {
            let refused = try await setActive(server, id, false, token: token)
            XCTAssertEqual(refused.status, 401)
            XCTAssertEqual(try refused.appError().id, "api.user.update_active.not_enable.app_error")
        }
        let (admin, sysadmin) = try await server.login("sysadmin")
        let adminRefused = try await setActive(server, sysadmin.id, false, token: admin)
        XCTAssertEqual(adminRefused.status, 401)
        XCTAssertEqual(try adminRefused.appError().id, "api.user.update_active.not_enable.app_error")
        let stillIn = try await server.me(admin).status
        XCTAssertEqual(stillIn, 200, "the only admin is still active and logged in")
    }

    func testSelfDeactivationWhenEnabled() async throws {
        let server = try await TestServer.start { $0.enableUserDeactivation = true }
        let (token, user) = try await server.login("user-1")
        let done = try await setActive(server, user.id, false, token: token)
        XCTAssertEqual(done.status, 200)
        let after = try await server.me(token).status
        XCTAssertEqual(after, 401)
        await server.stop()
    }

    func testBlankPasswordIs400BeforeAnythingElse() async throws {
        let server = try self.server
        for body in ["{\"login_id\": \"user-1\", \"password\": \"\"}", "{\"login_id\": \"user-1\"}",
                     "{\"login_id\": \"nobody-here\", \"password\": \"\"}", "{\"login_id\": \"\", \"password\": \"\"}"] {
            let response = try await server.request(.POST, APIPath.login, body: Data(body.utf8))
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(try response.appError().id, "api.user.login.blank_pwd.app_error", body)
        }
    }

    func testSessionsOfAnUnknownUserAreAnEmptyList() async throws {
        let server = try self.server
        let (admin, _) = try await server.login("sysadmin")
        let response = try await server.get(APIPath.sessions(MattermostID.new()), token: admin)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(try response.decode([Session].self).count, 0)
        let (token, _) = try await server.login("user-1")
        let mine = try await server.get(APIPath.mySessions, token: token)
        XCTAssertEqual(try mine.decode([Session].self).count, 1)
    }

    func testPasswordChangeKeepsOtherSessionsWhenTerminationIsOff() async throws {
        let server = try await TestServer.start { $0.terminateSessionsOnPasswordChange = false }
        let phone = try await server.login("user-1", deviceID: "phone-1")
        let (admin, _) = try await server.login("sysadmin")
        let reset = try await server.request(.PUT, APIPath.password(phone.user.id), token: admin,
                                             body: try JSONEncoder().encode(UpdatePasswordRequest(newPassword: "Another@pass1")))
        XCTAssertEqual(reset.status, 200)
        let phoneStatus = try await server.me(phone.token).status
        XCTAssertEqual(phoneStatus, 200)
        await server.stop()
    }

    /// checkCSRFToken runs for every non-GET request authenticated by the cookie, logout included.
    func testCookieOnlyLogoutIsRefusedAsCSRF() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let cookie = ("Cookie", "MMAUTHTOKEN=\(token)")
        let refused = try await server.post(APIPath.logout, headers: [cookie])
        XCTAssertEqual(refused.status, 401)
        XCTAssertEqual(try refused.appError().id, ErrorID.sessionExpired)
        let stillIn = try await server.me(token).status
        XCTAssertEqual(stillIn, 200, "not logged out")
        let done = try await server.post(APIPath.logout, headers: [cookie, ("X-Requested-With", "XMLHttpRequest")])
        XCTAssertEqual(done.status, 200)
        let after = try await server.me(token).status
        XCTAssertEqual(after, 401)
    }

    func testCookieWriteWithTheSessionsCSRFTokenPasses() async throws {
        let server = try self.server
        let login = try await server.post(APIPath.login, LoginRequest(loginID: "user-1", password: "SampleUser@1"))
        let token = try XCTUnwrap(login.headers.first(name: APIPath.tokenHeader))
        let setCookies = login.headers[canonicalForm: "Set-Cookie"].map(String.init)
        let csrf = try XCTUnwrap(setCookies.first { $0.hasPrefix("MMCSRF=") }?.dropFirst(7).split(separator: ";").first)
        let done = try await server.post(APIPath.logout, headers: [("Cookie", "MMAUTHTOKEN=\(token)"),
                                                                   ("X-CSRF-Token", String(csrf))])
        XCTAssertEqual(done.status, 200)
        let after = try await server.me(token).status
        XCTAssertEqual(after, 401)
    }
}
