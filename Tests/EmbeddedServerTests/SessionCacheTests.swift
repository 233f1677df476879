@testable import EmbeddedServer
import Foundation
import GRDB
import MattermostModel
import XCTest

/// The server caches sessions and users in memory (StoreCache). Each test first makes the token's session and
/// user cached (a 200 on /users/me), then ends the session one way, and expects the very next request with the
/// old token to get the 401: a stale cache entry here would be a missed revocation.
final class SessionCacheTests: ServerTestCase {
    /// A 200 on /users/me: the session and its user are now cached.
    private func warm(_ token: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        for _ in 0..<2 {
            let status = try await server.me(token).status
            XCTAssertEqual(status, 200, file: file, line: line)
        }
    }

    private func assertRevoked(_ token: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let response = try await server.me(token)
        XCTAssertEqual(response.status, 401, file: file, line: line)
        XCTAssertEqual(try response.appError(file: file, line: line).id, ErrorID.sessionExpired, file: file, line: line)
    }

    private func setActive(_ userID: String, _ active: Bool, admin: String) async throws {
        let response = try await server.request(.PUT, APIPath.active(userID), token: admin,
                                                body: try JSONEncoder().encode(UpdateActiveRequest(active: active)))
        XCTAssertEqual(response.status, 200)
    }

    func testRevokeOneCachedSession() async throws {
        let (keep, user) = try await server.login("user-1", deviceID: "keep")
        let (doomed, _) = try await server.login("user-1", deviceID: "doomed")
        try await warm(keep)
        try await warm(doomed)
        let sessions = try await server.get(APIPath.sessions(user.id), token: keep).decode([Session].self)
        let target = try XCTUnwrap(sessions.first { $0.deviceID == "doomed" })
        let revoked = try await server.post(APIPath.revokeSession(user.id), RevokeSessionRequest(sessionID: target.id),
                                            token: keep).status
        XCTAssertEqual(revoked, 200)
        try await assertRevoked(doomed)
        try await warm(keep)
    }

    func testRevokeAllOfUserWithCachedSessions() async throws {
        let (first, user) = try await server.login("user-1", deviceID: "a")
        let (second, _) = try await server.login("user-1", deviceID: "b")
        let (bystander, _) = try await server.login("user-2")
        for token in [first, second, bystander] { try await warm(token) }
        let status = try await server.post(APIPath.revokeAllOfUser(user.id), token: second).status
        XCTAssertEqual(status, 200)
        try await assertRevoked(first)
        try await assertRevoked(second)
        try await warm(bystander)
    }

    func testRevokeAllInSystemWithCachedSessions() async throws {
        let (user, _) = try await server.login("user-1")
        let (admin, _) = try await server.login("sysadmin")
        try await warm(user)
        try await warm(admin)
        let status = try await server.post(APIPath.revokeAllInSystem, token: admin).status
        XCTAssertEqual(status, 200)
        try await assertRevoked(user)
        try await assertRevoked(admin)
    }

    func testLogoutOfCachedSession() async throws {
        let (token, _) = try await server.login("user-1")
        try await warm(token)
        let status = try await server.post(APIPath.logout, token: token).status
        XCTAssertEqual(status, 200)
        try await assertRevoked(token)
    }

    func testDeactivatingCachedUser() async throws {
        let (token, user) = try await server.login("user-3")
        let (admin, _) = try await server.login("sysadmin")
        try await warm(token)
        try await setActive(user.id, false, admin: admin)
        try await assertRevoked(token)
        // The cached user went too: the admin sees the deactivation, then the reactivation.
        let off = try await server.get(APIPath.user(user.id), token: admin).decode(User.self)
        XCTAssertEqual(off.deleteAt, try server.clock.nowMillis)
        try server.clock.advance(byMillis: 1_000)
        try await setActive(user.id, true, admin: admin)
        let on = try await server.get(APIPath.user(user.id), token: admin).decode(User.self)
        XCTAssertEqual(on.deleteAt, 0)
        XCTAssertEqual(on.updateAt, try server.clock.nowMillis)
    }

    func testExpiryOfCachedSessionInVirtualTime() async throws {
        let (token, _) = try await server.login("user-1")
        try await warm(token)
        // Just short of the end: a post extends the session to now + 720 h.
        try server.clock.advance(byMillis: 720 * 3_600_000 - 1)
        let channel = try await server.townSquare(token)
        let posted = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "still here"),
                                           token: token).status
        XCTAssertEqual(posted, 201)
        try await warm(token)
        // Past the original end, not the new one: the cached copy must carry the extension.
        try server.clock.advance(byMillis: 10 * 60_000)
        try await warm(token)
        // Past the new end: the cached copy's expiry is checked on every request.
        try server.clock.advance(byMillis: 720 * 3_600_000)
        try await assertRevoked(token)
    }

    func testExpiryWithoutActivityOfCachedSession() async throws {
        let (token, _) = try await server.login("user-1")
        try await warm(token)
        try server.clock.advance(byMillis: 720 * 3_600_000 + 1)
        try await assertRevoked(token)
        try await assertRevoked(token)  // deleted on sight, still refused
    }

    func testSameDeviceLoginReplacesCachedSession() async throws {
        let (old, _) = try await server.login("user-1", deviceID: "device-A")
        try await warm(old)
        let (new, _) = try await server.login("user-1", deviceID: "device-A")
        try await assertRevoked(old)
        try await warm(new)
    }

    func testPasswordChangeWithCachedSessionsAndUser() async throws {
        let (kept, user) = try await server.login("user-1", deviceID: "a")
        let (other, _) = try await server.login("user-1", deviceID: "b")
        try await warm(kept)
        try await warm(other)
        try server.clock.advance(byMillis: 1_000)
        let changed = try await server.request(.PUT, APIPath.password(user.id), token: kept, body: try JSONEncoder().encode(
            UpdatePasswordRequest(newPassword: "Another@pass1", currentPassword: "SampleUser@1"))).status
        XCTAssertEqual(changed, 200)
        try await assertRevoked(other)
        let me = try await server.me(kept).decode(User.self)
        XCTAssertEqual(me.lastPasswordUpdate, try server.clock.nowMillis, "the cached user went with the write")
        // The cached user's password hash is the new one: changing it again needs the new current password.
        let again = try await server.request(.PUT, APIPath.password(user.id), token: kept, body: try JSONEncoder().encode(
            UpdatePasswordRequest(newPassword: "Third@pass123", currentPassword: "Another@pass1"))).status
        XCTAssertEqual(again, 200)
    }

    /// The cached JSON of a user is what encoding the row afresh gives (the code before the cache), before and
    /// after a change to the row.
    func testUserJSONIsByteForByteAFreshEncoding() async throws {
        let (token, user) = try await server.login("user-1")
        let (admin, _) = try await server.login("sysadmin")
        let store = try server.server.store
        func check(_ path: String, _ token: String) async throws -> User {
            let response = try await server.get(path, token: token)
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.headers.first(name: "Content-Type"), "application/json")
            let row = try store.db.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [user.id])
            }
            let fresh = try JSONEncoder().encode(StoredUser(row: try XCTUnwrap(row)).model)
            // Same bytes up to the key order inside timezone and notify_props, which was never stable: a Swift
            // Dictionary's order differs from one instance to the next, so the old code varied between requests.
            XCTAssertEqual(response.body.count, fresh.count)
            let got = try JSONSerialization.jsonObject(with: response.body) as? NSDictionary
            let want = try JSONSerialization.jsonObject(with: fresh) as? NSDictionary
            XCTAssertNotNil(want)
            XCTAssertEqual(got, want)
            return try response.decode(User.self)
        }
        let me = try await check(APIPath.me, token)
        XCTAssertEqual(me, user)
        let shown = try await check(APIPath.user(user.id), admin)
        XCTAssertEqual(shown, user)
        try server.clock.advance(byMillis: 1_000)
        try await setActive(user.id, true, admin: admin)  // a write to the row: update_at moves
        let changed = try await check(APIPath.user(user.id), admin)
        XCTAssertEqual(changed.updateAt, try server.clock.nowMillis)
        XCTAssertNotEqual(changed, user)
    }
}
