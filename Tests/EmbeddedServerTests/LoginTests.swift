import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

final class LoginTests: ServerTestCase {
    func testLoginReturnsUserTokenAndCookies() async throws {
        let server = try self.server
        let response = try await server.post(APIPath.login, LoginRequest(loginID: "user-1", password: "SampleUser@1"))
        XCTAssertEqual(response.status, 200)
        let token = try XCTUnwrap(response.headers.first(name: "Token"))
        XCTAssertTrue(MattermostID.isValid(token))

        let user = try response.decode(User.self)
        XCTAssertTrue(MattermostID.isValid(user.id))
        XCTAssertEqual(user.username, "user-1")
        XCTAssertEqual(user.email, "user-1@sample.mattermost.com")
        XCTAssertEqual(user.roles, "system_user")
        XCTAssertEqual(user.deleteAt, 0)
        XCTAssertEqual(user.createAt, server.clock.nowMillis)
        let fields = try XCTUnwrap(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        XCTAssertNil(fields["password"], "the password hash never leaves the server")
        XCTAssertNotNil(fields["notify_props"])

        let cookies = response.headers["Set-Cookie"]
        let auth = try XCTUnwrap(cookies.first { $0.hasPrefix("MMAUTHTOKEN=") })
        XCTAssertTrue(auth.contains("HttpOnly"))
        XCTAssertTrue(auth.contains("Path=/"))
        XCTAssertTrue(cookies.contains { $0.hasPrefix("MMUSERID=\(user.id)") })
    }

    func testAdminAndEmailLogin() async throws {
        let server = try self.server
        let admin = try await server.login("sysadmin")
        XCTAssertEqual(admin.user.roles, "system_admin system_user")
        let response = try await server.post(APIPath.login, LoginRequest(loginID: "USER-2@sample.mattermost.com",
                                                                          password: "SampleUser@1"))
        XCTAssertEqual(try response.decode(User.self).username, "user-2")
    }

    func testBadPasswordAndUnknownUserAreInvalidCredentials() async throws {
        let server = try self.server
        for login in [LoginRequest(loginID: "user-1", password: "wrong"), LoginRequest(loginID: "nobody", password: "x")] {
            let response = try await server.post(APIPath.login, login)
            XCTAssertEqual(response.status, 401)
            XCTAssertNil(response.headers.first(name: "Token"))
            XCTAssertEqual(try response.appError().id, ErrorID.invalidCredentials)
        }
    }

    func testLogoutRevokesAndAlwaysSaysOK() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let first = try await server.post(APIPath.logout, token: token)
        XCTAssertEqual(try first.decode(StatusOK.self).status, "OK")
        let meTokenStatus = try await server.me(token).status
        XCTAssertEqual(meTokenStatus, 401)
        let again = try await server.post(APIPath.logout, token: token)
        XCTAssertEqual(again.status, 200)
        let status = try await server.post(APIPath.logout).status
        XCTAssertEqual(status, 200)
    }

    func testEnsureUserCreatesMemberAccount() async throws {
        let server = try self.server
        let created = try await server.server.ensureUser(username: "user-7")
        XCTAssertEqual(created.email, "user-7@sample.mattermost.com")
        let again = try await server.server.ensureUser(username: "user-7")
        XCTAssertEqual(again.id, created.id)
        let (token, user) = try await server.login("user-7")
        XCTAssertEqual(user.id, created.id)
        let name = try await server.townSquare(token).name
        XCTAssertEqual(name, "town-square")
    }

    /// The lockout check, the password check and the failure count act as one step: of 60 wrong passwords
    /// sent at once, exactly 10 are checked (and answered "invalid credentials"); the rest find the account locked.
    func testConcurrentWrongPasswordsCannotOutrunTheLockout() async throws {
        let server = try self.server
        let statuses = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<60 {
                group.addTask {
                    let response = try await server.post(APIPath.login, LoginRequest(loginID: "user-1", password: "wrong-password"))
                    XCTAssertEqual(response.status, 401)
                    return try response.appError().id
                }
            }
            var counts: [String: Int] = [:]
            for try await id in group { counts[id, default: 0] += 1 }
            return counts
        }
        XCTAssertEqual(statuses, [ErrorID.invalidCredentials: 10,
                                  "api.user.check_user_login_attempts.too_many.app_error": 50])
    }
}
