@testable import EmbeddedServer
import Foundation
import GRDB
import MattermostModel
import XCTest

/// Login reads the user by name straight from the database, answers with the JSON the user cache keeps, and hands
/// the row to the cache; its writes (attempts cleared, the device's old session replaced, the new one stored)
/// are one transaction.
final class LoginCacheTests: ServerTestCase {
    private func failedAttempts(_ store: Store, _ userID: String) async throws -> Int? {
        try await store.db.read { db in
            try Int.fetchOne(db, sql: "SELECT failed_attempts FROM users WHERE id = ?", arguments: [userID])
        }
    }

    func testLoginFillsTheUserCacheWithTheBytesItAnswered() async throws {
        let store = try server.server.store
        XCTAssertEqual(store.cache.counts.users, 0)
        let response = try await server.post(APIPath.login, LoginRequest(loginID: "user-1", password: "SampleUser@1"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers.first(name: "Content-Type"), "application/json")
        let user = try response.decode(User.self)
        guard case .hit(let cached) = store.cache.user(id: user.id) else { return XCTFail("login did not fill the cache") }
        XCTAssertEqual(Data(cached.json.readableBytesView), response.body)
        let fresh = try JSONEncoder().encode(cached.user.model)
        let got = try JSONSerialization.jsonObject(with: response.body) as? NSDictionary
        XCTAssertNotNil(got)
        XCTAssertEqual(got, try JSONSerialization.jsonObject(with: fresh) as? NSDictionary)
    }

    /// The failed attempts come with the login's row; a success clears them, and the cache never keeps the
    /// row that still counted them.
    func testSuccessClearsFailedAttemptsAndCachesNoStaleCount() async throws {
        let store = try server.server.store
        for _ in 0..<2 {
            let status = try await server.post(APIPath.login, LoginRequest(loginID: "user-1", password: "wrong")).status
            XCTAssertEqual(status, 401)
        }
        let (token, user) = try await server.login("user-1", deviceID: "phone")
        let stored = try await failedAttempts(store, user.id)
        XCTAssertEqual(stored, 0)
        if case .hit(let cached) = store.cache.user(id: user.id) { XCTAssertEqual(cached.user.failedAttempts, 0) }
        let me = try await server.me(token).status
        XCTAssertEqual(me, 200)
    }

    /// The lockout still comes before the password, from the row login read.
    func testLockoutIsReadWithTheLoginRow() async throws {
        let store = try server.server.store
        let (_, user) = try await server.login("user-1")
        try await store.db.write { db in
            try db.execute(sql: "UPDATE users SET failed_attempts = 99 WHERE id = ?", arguments: [user.id])
        }
        let response = try await server.post(APIPath.login, LoginRequest(loginID: "user-1", password: "SampleUser@1"))
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(try response.appError().id, APIErrors.tooManyLoginAttempts.id)
    }
}
