import EmbeddedServer
import Foundation
import MattermostClient
import MattermostModel
import XCTest

final class SessionTests: ServerTestCase {
    func testListingBlanksTokens() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1", deviceID: "phone-1")
        _ = try await server.login("user-1")
        let response = try await server.get(APIPath.sessions(user.id), token: token)
        XCTAssertEqual(response.status, 200)
        let sessions = try response.decode([Session].self)
        XCTAssertEqual(sessions.count, 2)
        for session in sessions {
            XCTAssertEqual(session.token, "")
            XCTAssertEqual(session.userID, user.id)
            XCTAssertTrue(MattermostID.isValid(session.id))
            XCTAssertEqual(session.expiresAt, session.createAt + 720 * 3_600_000)
        }
        XCTAssertEqual(Set(sessions.map(\.deviceID)), ["phone-1", ""])
        XCTAssertFalse(String(decoding: response.body, as: UTF8.self).contains(token))
    }

    func testOtherUsersSessionsNeedAdmin() async throws {
        let server = try self.server
        let (token1, _) = try await server.login("user-1")
        let (_, user2) = try await server.login("user-2")
        let refused = try await server.get(APIPath.sessions(user2.id), token: token1)
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(try refused.appError().id, ErrorID.permissions)
        let status = try await server.post(APIPath.revokeAllOfUser(user2.id), token: token1).status
        XCTAssertEqual(status, 403)
        let (admin, _) = try await server.login("sysadmin")
        let count = try await server.get(APIPath.sessions(user2.id), token: admin).decode([Session].self).count
        XCTAssertEqual(count, 1)
    }

    func testRevokeOneSession() async throws {
        let server = try self.server
        let (keep, user) = try await server.login("user-1", deviceID: "keep")
        let (doomed, _) = try await server.login("user-1", deviceID: "doomed")
        let sessions = try await server.get(APIPath.sessions(user.id), token: keep).decode([Session].self)
        let target = try XCTUnwrap(sessions.first { $0.deviceID == "doomed" })
        let response = try await server.post(APIPath.revokeSession(user.id), RevokeSessionRequest(sessionID: target.id),
                                             token: keep)
        XCTAssertEqual(try response.decode(StatusOK.self).status, "OK")
        let meKeepStatus = try await server.me(keep).status
        XCTAssertEqual(meKeepStatus, 200)
        let meDoomedStatus = try await server.me(doomed).status
        XCTAssertEqual(meDoomedStatus, 401)
    }

    func testRevokeMissingSessionIDIs400() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let missing = try await server.request(.POST, APIPath.revokeSession(user.id), token: token, body: Data("{}".utf8))
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(try missing.appError().id, ErrorID.invalidParam)
        let unknown = try await server.post(APIPath.revokeSession(user.id), RevokeSessionRequest(sessionID: MattermostID.new()),
                                            token: token)
        XCTAssertEqual(unknown.status, 400)
        _ = try unknown.appError()
    }

    func testRevokeAllOfUserLeavesOthers() async throws {
        let server = try self.server
        let (a, user1) = try await server.login("user-1")
        let (b, _) = try await server.login("user-1", deviceID: "phone")
        let (other, _) = try await server.login("user-2")
        let (admin, _) = try await server.login("sysadmin")
        let status2 = try await server.post(APIPath.revokeAllOfUser(user1.id), token: admin).status
        XCTAssertEqual(status2, 200)
        let meAStatus = try await server.me(a).status
        XCTAssertEqual(meAStatus, 401)
        let meBStatus = try await server.me(b).status
        XCTAssertEqual(meBStatus, 401)
        let meOtherStatus = try await server.me(other).status
        XCTAssertEqual(meOtherStatus, 200)
        let meAdminStatus = try await server.me(admin).status
        XCTAssertEqual(meAdminStatus, 200)
    }

    /// What an admin does to revoke one user by name: GET /users/username/{username}, then revoke/all by id.
    func testUserByUsernameThenRevokeTheirSessions() async throws {
        let server = try self.server
        let (phone, user2) = try await server.login("user-2")
        let (admin, _) = try await server.login("sysadmin")
        let api = MattermostAPI(baseURL: server.base)
        let found = try await api.user(username: "User-2", token: admin)
        XCTAssertEqual(found.id, user2.id)
        XCTAssertEqual(found.username, "user-2")
        try await api.revokeAllSessions(token: admin, userID: found.id)
        let meStatus = try await server.me(phone).status
        XCTAssertEqual(meStatus, 401)

        let missing = try await server.get(APIPath.user(username: "nobody-here"), token: admin)
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(try missing.appError().id, "app.user.get_by_username.app_error")
        let invalid = try await server.get(APIPath.user(username: "x"), token: admin)
        XCTAssertEqual(invalid.status, 400)
        XCTAssertEqual(try invalid.appError().id, "api.context.invalid_body_param.app_error")
        let anonymous = try await server.get(APIPath.user(username: "user-2"))
        XCTAssertEqual(anonymous.status, 401)
    }

    func testRevokeAllInSystemNeedsAdminAndKillsAdminToo() async throws {
        let server = try self.server
        let (user, _) = try await server.login("user-1")
        let refused = try await server.post(APIPath.revokeAllInSystem, token: user)
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(try refused.appError().id, ErrorID.permissions)
        let meUserStatus = try await server.me(user).status
        XCTAssertEqual(meUserStatus, 200)

        let (phone, _) = try await server.login("user-2", deviceID: "phone-2")
        let (admin, _) = try await server.login("sysadmin")
        let done = try await server.post(APIPath.revokeAllInSystem, token: admin)
        XCTAssertEqual(try done.decode(StatusOK.self).status, "OK")
        for token in [user, phone, admin] {
            let response = try await server.me(token)
            XCTAssertEqual(response.status, 401)
            XCTAssertEqual(try response.appError().id, ErrorID.sessionExpired)
        }
        _ = try await server.login("user-2", deviceID: "phone-2")  // logging in again works
    }

    func testSameDeviceLoginReplacesOldSession() async throws {
        let server = try self.server
        let (old, user) = try await server.login("user-1", deviceID: "device-A")
        let (other, _) = try await server.login("user-1", deviceID: "device-B")
        let (new, _) = try await server.login("user-1", deviceID: "device-A")
        let meOldStatus = try await server.me(old).status
        XCTAssertEqual(meOldStatus, 401)
        let meOtherStatus2 = try await server.me(other).status
        XCTAssertEqual(meOtherStatus2, 200)
        let meNewStatus = try await server.me(new).status
        XCTAssertEqual(meNewStatus, 200)
        let sessions = try await server.get(APIPath.sessions(user.id), token: new).decode([Session].self)
        XCTAssertEqual(sessions.map(\.deviceID).sorted(), ["device-A", "device-B"])
    }

    func testDeactivationRevokesAndBlocksLogin() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-3")
        let (admin, _) = try await server.login("sysadmin")
        let refused = try await server.request(.PUT, APIPath.active(user.id), token: token,
                                               body: try JSONEncoder().encode(UpdateActiveRequest(active: false)))
        XCTAssertEqual(refused.status, 401, "self-deactivation is off by default")

        let off = try await server.request(.PUT, APIPath.active(user.id), token: admin,
                                           body: try JSONEncoder().encode(UpdateActiveRequest(active: false)))
        XCTAssertEqual(off.status, 200)
        let meTokenStatus = try await server.me(token).status
        XCTAssertEqual(meTokenStatus, 401)
        let login = try await server.post(APIPath.login, LoginRequest(loginID: "user-3", password: "SampleUser@1"))
        XCTAssertEqual(login.status, 401)
        XCTAssertEqual(try login.appError().id, ErrorID.inactive)
        let shown = try await server.get(APIPath.user(user.id), token: admin).decode(User.self)
        XCTAssertEqual(shown.deleteAt, server.clock.nowMillis)

        let on = try await server.request(.PUT, APIPath.active(user.id), token: admin,
                                          body: try JSONEncoder().encode(UpdateActiveRequest(active: true)))
        XCTAssertEqual(on.status, 200)
        _ = try await server.login("user-3")
    }

    /// `ExtendSessionExpiryIfNeeded` is called by createPost, viewChannel and user_typing, not on every request.
    func testOnlyPostingExtendsTheSessionAndOnlyPastTheThreshold() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let channel = try await server.townSquare(token)
        func session() async throws -> Session {
            let sessions = try await server.get(APIPath.sessions(user.id), token: token).decode([Session].self)
            return try XCTUnwrap(sessions.first)
        }
        func post() async throws {
            let status = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "hi"),
                                               token: token).status
            XCTAssertEqual(status, 201)
        }
        let start = try await session()
        let threshold: Int64 = 720 * 3_600_000 / 100  // 1% of 720 h = 7.2 h (less than a day, more than 5 min)

        server.clock.advance(byMillis: threshold - 60_000)
        try await post()
        let early = try await session()
        XCTAssertEqual(early.expiresAt, start.expiresAt, "no extension before the threshold")
        XCTAssertEqual(early.lastActivityAt, server.clock.nowMillis, "the post is recorded as activity")

        server.clock.advance(byMillis: 60_000)
        let read = try await session()
        XCTAssertEqual(read.expiresAt, start.expiresAt, "a GET is no activity: no extension")
        XCTAssertEqual(read.lastActivityAt, early.lastActivityAt)
        try await post()
        let extended = try await session()
        XCTAssertEqual(extended.expiresAt, server.clock.nowMillis + 720 * 3_600_000)

        // Still alive past the original expiry thanks to the post; reads alone would not have kept it.
        server.clock.advance(byMillis: 720 * 3_600_000 - 1_000)
        let meStatus = try await server.me(token).status
        XCTAssertEqual(meStatus, 200)
        XCTAssertGreaterThan(server.clock.nowMillis, start.expiresAt)
    }

    func testReadsAloneLetTheSessionExpire() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        for _ in 0..<10 {
            server.clock.advance(byMillis: 72 * 3_600_000)
            let status = try await server.me(token).status
            XCTAssertEqual(status, 200)
        }
        server.clock.advance(byMillis: 1)
        let status = try await server.me(token).status
        XCTAssertEqual(status, 401, "720 h after login, however often it read")
    }

    func testExtensionCanBeTurnedOff() async throws {
        let server = try await TestServer.start { $0.extendSessionLengthWithActivity = false }
        let (token, user) = try await server.login("user-1")
        let channel = try await server.townSquare(token)
        let before = try await server.get(APIPath.sessions(user.id), token: token).decode([Session].self)
        server.clock.advance(byMillis: 24 * 3_600_000)
        _ = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "hi"), token: token)
        let after = try await server.get(APIPath.sessions(user.id), token: token).decode([Session].self)
        XCTAssertEqual(after.first?.expiresAt, before.first?.expiresAt)
        await server.stop()
    }
}
