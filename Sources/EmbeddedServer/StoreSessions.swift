import GRDB
import MattermostModel

extension Store {
    func insert(_ session: StoredSession) async throws {
        try await write { db in try Self.insert(session, in: db) }
    }

    /// A successful login's writes in one transaction (one trip through the serial writer, not three): the failed
    /// attempts cleared, the device's old session replaced (Mattermost's `RevokeSessionsForDeviceId`), the new one
    /// stored. The session then fills the cache, which the phone's first request would otherwise fill from the
    /// row it just wrote (unless a write to `sessions` or `users` came between: `generation` is from before).
    func startSession(_ session: StoredSession) async throws {
        let generation = cache.generation
        try await write { db in
            try db.cachedStatement(sql: "UPDATE users SET failed_attempts = 0 WHERE id = ? AND failed_attempts != 0")
                .execute(arguments: [session.userID])
            if !session.deviceID.isEmpty {
                try db.cachedStatement(sql: "DELETE FROM sessions WHERE user_id = ? AND device_id = ?")
                    .execute(arguments: [session.userID, session.deviceID])
            }
            try Self.insert(session, in: db)
        }
        cache.remember(session, generation: generation)
    }

    private static func insert(_ session: StoredSession, in db: Database) throws {
        try session.insert(db)
    }

    /// Every authenticated request runs this: served from `cache` once read (see StoreCache for why it is safe).
    func session(tokenHash: String) async throws -> StoredSession? {
        let generation: UInt64
        switch cache.session(tokenHash: tokenHash) {
        case .hit(let session): return session
        case .miss(let current): generation = current
        }
        let session = try await read { db in
            try StoredSession.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE token_hash = ?"),
                                       arguments: [tokenHash])
        }
        if let session { cache.remember(session, generation: generation) }
        return session
    }

    func session(id: String) async throws -> StoredSession? {
        try await read { db in
            try StoredSession.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE id = ?"), arguments: [id])
        }
    }

    func sessions(userID: String) async throws -> [StoredSession] {
        try await read { db in
            try StoredSession.fetchAll(db, sql: "SELECT * FROM sessions WHERE user_id = ? ORDER BY create_at DESC",
                                       arguments: [userID])
        }
    }

    func updateActivity(sessionID: String, lastActivityAt: Int64, expiresAt: Int64, lastExtendedAt: Int64) async throws {
        try await write { db in
            try db.execute(sql: """
                UPDATE sessions SET last_activity_at = ?, expires_at = ?, last_extended_at = ? WHERE id = ?
                """, arguments: [lastActivityAt, expiresAt, lastExtendedAt, sessionID])
        }
    }

    @discardableResult
    func deleteSession(id: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Every session of the user, but `kept` (the caller's own, after changing their password) when given.
    func deleteSessions(userID: String, except kept: String? = nil) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?", arguments: [userID, kept])
        }
    }

    func deleteAllSessions() async throws {
        try await write { db in try db.execute(sql: "DELETE FROM sessions") }
    }
}
