import GRDB
import MattermostModel

extension Store {
    func insert(_ session: StoredSession) async throws {
        try await db.write { db in
            try db.execute(sql: """
                INSERT INTO sessions (id, token_hash, create_at, expires_at, last_activity_at, last_extended_at,
                                      user_id, device_id, roles, props)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [session.id, session.tokenHash, session.createAt, session.expiresAt,
                                 session.lastActivityAt, session.lastExtendedAt, session.userID, session.deviceID,
                                 session.roles, session.propsJSON])
        }
    }

    /// Every authenticated request runs this: served from `cache` once read (see StoreCache for why it is safe).
    func session(tokenHash: String) async throws -> StoredSession? {
        let generation: UInt64
        switch cache.session(tokenHash: tokenHash) {
        case .hit(let session): return session
        case .miss(let current): generation = current
        }
        let session = try await db.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE token_hash = ?"), arguments: [tokenHash])
                .map(StoredSession.init)
        }
        if let session { cache.remember(session, generation: generation) }
        return session
    }

    func session(id: String) async throws -> StoredSession? {
        try await db.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]).map(StoredSession.init)
        }
    }

    func sessions(userID: String) async throws -> [StoredSession] {
        try await db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions WHERE user_id = ? ORDER BY create_at DESC",
                             arguments: [userID]).map(StoredSession.init)
        }
    }

    func updateActivity(sessionID: String, lastActivityAt: Int64, expiresAt: Int64, lastExtendedAt: Int64) async throws {
        try await db.write { db in
            try db.execute(sql: """
                UPDATE sessions SET last_activity_at = ?, expires_at = ?, last_extended_at = ? WHERE id = ?
                """, arguments: [lastActivityAt, expiresAt, lastExtendedAt, sessionID])
        }
    }

    @discardableResult
    func deleteSession(id: String) async throws -> Bool {
        try await db.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Mattermost's `RevokeSessionsForDeviceId`: one device holds one session per user.
    func deleteSessions(userID: String, deviceID: String) async throws {
        try await db.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ? AND device_id = ?", arguments: [userID, deviceID])
        }
    }

    func deleteSessions(userID: String) async throws {
        try await db.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
        }
    }

    func deleteAllSessions() async throws {
        try await db.write { db in try db.execute(sql: "DELETE FROM sessions") }
    }
}
