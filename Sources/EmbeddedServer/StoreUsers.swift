import GRDB
import MattermostModel

extension Store {
    /// Cached: see `cachedUser(id:)` and StoreCache.
    func user(id: String) async throws -> StoredUser? {
        try await cachedUser(id: id)?.user
    }

    /// Mattermost lets people log in with a username or an email, case-insensitively.
    func user(loginID: String) async throws -> StoredUser? {
        try await userRead(loginID: loginID)?.user
    }

    /// Always from the database (the lockout count must be fresh), with the cache generation the read began
    /// under, so that login can hand the row to the cache (`cacheUser`).
    func userRead(loginID: String) async throws -> (user: StoredUser, generation: UInt64)? {
        let key = loginID.lowercased()
        let generation = cache.generation
        // Username first, on its unique index: `username = ? OR lower(email) = ?` scanned the whole table, which
        // made a fleet's logins quadratic (10,000 users: ~8% of the server's CPU in that scan). An email holds
        // an '@' and a username cannot, so no login id names two different users this way.
        let user = try await read { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE username = ?"), arguments: [key])
            return try (row ?? Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE lower(email) = ?"),
                                            arguments: [key])).map(StoredUser.init)
        }
        return user.map { ($0, generation) }
    }

    func users(_ paging: Paging) async throws -> [StoredUser] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY username LIMIT ? OFFSET ?",
                             arguments: [paging.perPage, paging.offset]).map(StoredUser.init)
        }
    }

    /// Inserts the user unless that username exists; returns the stored row either way.
    func insertUserIfMissing(username: String, email: String, passwordHash: @Sendable () -> String,
                             roles: String, now: Int64) async throws -> StoredUser {
        try await db.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE username = ?", arguments: [username]) {
                return StoredUser(row: row)
            }
            try db.execute(sql: """
                INSERT INTO users (id, create_at, update_at, delete_at, username, email, password_hash, roles,
                                   last_password_update)
                VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)
                """, arguments: [MattermostID.new(), now, now, username, email, passwordHash(), roles, now])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE username = ?", arguments: [username])
            guard let row else { throw DatabaseError(message: "user vanished after insert") }
            return StoredUser(row: row)
        }
    }

    /// Deactivation stamps delete_at and removes every session in one transaction, so no request slips between.
    func setActive(userID: String, active: Bool, now: Int64) async throws {
        try await db.write { db in
            try db.execute(sql: "UPDATE users SET delete_at = ?, update_at = ? WHERE id = ?",
                           arguments: [active ? 0 : now, now, userID])
            if !active {
                try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
            }
        }
    }
}

extension Store {
    /// Mattermost's `SqlUserStore.UpdatePassword` (store/sqlstore/user_store.go): the new hash, both
    /// timestamps and `FailedAttempts = 0` in one statement — so a password reset is also what clears a lockout.
    func updatePassword(userID: String, hash: String, now: Int64) async throws {
        try await db.write { db in
            try db.execute(sql: """
                UPDATE users SET password_hash = ?, last_password_update = ?, update_at = ?, failed_attempts = 0
                WHERE id = ?
                """, arguments: [hash, now, now, userID])
        }
    }
}
