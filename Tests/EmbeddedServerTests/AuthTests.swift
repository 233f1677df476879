import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

final class AuthTests: ServerTestCase {
    func testMeWithValidToken() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let response = try await server.me(token)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(try response.decode(User.self).id, user.id)
    }

    func testMissingTokenIsSessionExpired() async throws {
        let server = try self.server
        let response = try await server.get(APIPath.me)
        XCTAssertEqual(response.status, 401)
        let error = try response.appError()
        XCTAssertEqual(error.id, ErrorID.sessionExpired)
        XCTAssertEqual(error.message, "Invalid or expired session, please login again.")
        XCTAssertEqual(error.detailedError, "")
        let unknown = try await server.me(MattermostID.new())
        XCTAssertEqual(try unknown.appError().id, ErrorID.sessionExpired)
    }

    func testRevokedTokenIsSessionExpired() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let revoke = try await server.post(APIPath.revokeAllOfUser(user.id), token: token)
        XCTAssertEqual(revoke.status, 200)
        let response = try await server.me(token)
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(try response.appError().id, ErrorID.sessionExpired)
    }

    func testExpiredTokenIsSessionExpiredAndRemoved() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let (adminToken, _) = try await server.login("sysadmin")
        server.clock.advance(byMillis: 720 * 3_600_000 + 1)
        let response = try await server.me(token)
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(try response.appError().id, ErrorID.sessionExpired)
        // The admin's own session expired too; a fresh admin login can list, and the dead session is gone.
        let meAdminTokenStatus = try await server.me(adminToken).status
        XCTAssertEqual(meAdminTokenStatus, 401)
        let (freshAdmin, _) = try await server.login("sysadmin")
        let sessions = try await server.get(APIPath.sessions(user.id), token: freshAdmin).decode([Session].self)
        XCTAssertTrue(sessions.isEmpty)
    }

    func testTokenSchemeAndCaseInsensitiveBearer() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        for header in ["Token \(token)", "bearer \(token)", "BEARER \(token)"] {
            let response = try await server.get(APIPath.me, headers: [("Authorization", header)])
            XCTAssertEqual(response.status, 200, header.components(separatedBy: " ")[0])
        }
        let wrong = try await server.get(APIPath.me, headers: [("Authorization", "Basic \(token)")])
        XCTAssertEqual(wrong.status, 401)
    }

    func testCookieAuthNeedsRequestedWithOnWrites() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let cookie = ("Cookie", "MMAUTHTOKEN=\(token); MMUSERID=\(user.id)")
        let status = try await server.get(APIPath.me, headers: [cookie]).status
        XCTAssertEqual(status, 200)

        let path = APIPath.revokeAllOfUser(user.id)
        let refused = try await server.post(path, headers: [cookie])
        XCTAssertEqual(refused.status, 401)
        XCTAssertEqual(try refused.appError().id, ErrorID.sessionExpired)
        let meTokenStatus = try await server.me(token).status
        XCTAssertEqual(meTokenStatus, 200, "a refused CSRF write changes nothing")

        let allowed = try await server.post(path, headers: [cookie, ("X-Requested-With", "XMLHttpRequest")])
        XCTAssertEqual(allowed.status, 200)
        let meTokenStatus2 = try await server.me(token).status
        XCTAssertEqual(meTokenStatus2, 401)
    }

    func testPingNeedsNoSession() async throws {
        let server = try self.server
        let response = try await server.get(APIPath.ping)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(try response.decode(StatusOK.self).status, "OK")
    }
}
