@testable import EmbeddedServer
import GRDB
import MattermostModel
import XCTest

/// StoreCache from the inside: it must follow every write, whoever makes it, and refuse a stale fill.
final class StoreCacheTests: XCTestCase {
    private func seeded() async throws -> (Store, StoredUser, StoredSession) {
        let store = try Store(directory: nil)
        let user = try await store.insertUserIfMissing(username: "user-1", email: "user-1@example.com",
                                                       passwordHash: { "x" }, roles: "system_user", now: 1)
        let session = StoredSession(id: MattermostID.new(), tokenHash: TokenHash.hex("token"), createAt: 1,
                                    expiresAt: 1_000, userID: user.id, deviceID: "", roles: "system_user", props: [:])
        try await store.insert(session)
        _ = try await store.session(tokenHash: session.tokenHash)
        _ = try await store.user(id: user.id)
        XCTAssertEqual(store.cache.counts.sessions, 1)
        XCTAssertEqual(store.cache.counts.users, 1)
        return (store, user, session)
    }

    /// Raw SQL outside any Store function (a future one, say) still drops the cached rows.
    func testAnyWriteDropsCachedRows() async throws {
        let (store, user, session) = try await seeded()
        try await store.db.write { db in
            try db.execute(sql: "UPDATE sessions SET expires_at = 5 WHERE id = ?", arguments: [session.id])
            try db.execute(sql: "UPDATE users SET password_hash = 'y', update_at = 7 WHERE id = ?", arguments: [user.id])
        }
        XCTAssertEqual(store.cache.counts.sessions, 0)
        XCTAssertEqual(store.cache.counts.users, 0)
        let fresh = try await store.session(tokenHash: session.tokenHash)
        XCTAssertEqual(fresh?.expiresAt, 5)
        let freshUser = try await store.user(id: user.id)
        XCTAssertEqual(freshUser?.passwordHash, "y")
        XCTAssertEqual(freshUser?.updateAt, 7)

        try await store.db.write { db in try db.execute(sql: "DELETE FROM sessions") }  // no truncate shortcut
        let gone = try await store.session(tokenHash: session.tokenHash)
        XCTAssertNil(gone)
    }

    /// A row read before a write must not be cached after it.
    func testFillBegunBeforeAWriteIsRefused() async throws {
        let (store, _, session) = try await seeded()
        try await store.deleteAllSessions()
        guard case .miss(let before) = store.cache.session(tokenHash: session.tokenHash) else {
            return XCTFail("deleted session still cached")
        }
        try await store.insert(session)
        try await store.db.write { db in
            try db.execute(sql: "UPDATE sessions SET roles = 'changed' WHERE id = ?", arguments: [session.id])
        }
        store.cache.remember(session, generation: before)  // read before the update, stored after it
        let read = try await store.session(tokenHash: session.tokenHash)
        XCTAssertEqual(read?.roles, "changed")
    }

    func testCacheIsBounded() throws {
        let cache = StoreCache()
        guard case .miss(let generation) = cache.session(tokenHash: "none") else { return XCTFail("hit on empty") }
        for index in 0...StoreCache.limit {
            cache.remember(StoredSession(id: "\(index)", tokenHash: "\(index)", createAt: 0, expiresAt: 0, userID: "u",
                                         deviceID: "", roles: "", props: [:]), generation: generation)
        }
        XCTAssertLessThanOrEqual(cache.counts.sessions, StoreCache.limit)
        XCTAssertGreaterThan(cache.counts.sessions, 0)
    }
}
