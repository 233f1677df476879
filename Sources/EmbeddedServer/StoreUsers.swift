import GRDB
import MattermostModel

extension Store {
    /// Cached: see `cachedUser(id:)` and StoreCache.
    func user(id: String) async throws -> StoredUser? {
        try await cachedUser(id: id)?.user
    }

    /// By primary key on a cached statement (the query interface's `fetchOne(db, key:)` builds its SQL anew each call).
    static func user(id: String, _ db: Database) throws -> StoredUser? {
        try StoredUser.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id])
    }

    /// Mattermost lets people log in with a username or an email, case-insensitively.
    func user(loginID: String) async throws -> StoredUser? {
        try await read { db in try Self.user(loginID: loginID, db) }
    }

    /// Username first, on its unique index: `username = ? OR lower(email) = ?` scanned the whole table, which
    /// made a fleet's logins quadratic (10,000 users: ~8% of the server's CPU in that scan). An email holds
    /// an '@' and a username cannot, so no login id names two different users this way.
    /// A login id with a NUL names nobody: SQLite would read the bound text only up to it.
    static func user(loginID: String, _ db: Database) throws -> StoredUser? {
        guard !loginID.utf8.contains(0) else { return nil }
        let key = loginID.lowercased()
        return try StoredUser.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE username = ?"), arguments: [key])
            ?? StoredUser.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE lower(email) = ?"), arguments: [key])
    }

    func userID(username: String) async throws -> String? {
        try await read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM users WHERE username = ?"), arguments: [username])
        }
    }

    func users(_ paging: Paging) async throws -> [StoredUser] {
        try await read { db in
            try StoredUser.fetchAll(db, sql: "SELECT * FROM users ORDER BY username LIMIT ? OFFSET ?",
                                    arguments: [paging.perPage, paging.offset])
        }
    }

    /// Users whose username or email starts with `prefix` (ASCII case ignored, as SQLite's LIKE does), by username.
    func users(startingWith prefix: String, includeInactive: Bool, limit: Int) async throws -> [StoredUser] {
        let pattern = prefix.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await read { db in
            try StoredUser.fetchAll(db, sql: """
                SELECT * FROM users WHERE (username LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\')
                AND (?2 OR delete_at = 0) ORDER BY username LIMIT ?3
                """, arguments: [pattern, includeInactive, limit])
        }
    }

    /// Inserts the user unless that username exists; returns the stored row either way. The hash is only
    /// computed for a new row (bcrypt at Mattermost's cost takes tens of milliseconds, and seeding runs each start).
    func insertUserIfMissing(username: String, email: String, passwordHash: @Sendable () -> String,
                             roles: String, now: Int64) async throws -> StoredUser {
        try await write { db in
            if let existing = try StoredUser.fetchOne(db, sql: "SELECT * FROM users WHERE username = ?",
                                                      arguments: [username]) {
                return existing
            }
            let user = StoredUser(username: username, email: email, passwordHash: passwordHash(), roles: roles, now: now)
            try Self.insert(user, db)
            guard db.changesCount > 0 else {
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "another user has the email \(email)")
            }
            return user
        }
    }

    /// The one way a user row is created. An existing username or email keeps its row (bulk runs re-add users).
    static func insert(_ user: StoredUser, _ db: Database) throws {
        try user.insert(db, onConflict: .ignore)
    }

    /// Deactivation stamps delete_at and removes every session in one transaction, so no request slips between.
    func setActive(userID: String, active: Bool, now: Int64) async throws {
        try await write { db in
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
        try await write { db in
            try db.execute(sql: """
                UPDATE users SET password_hash = ?, last_password_update = ?, update_at = ?, failed_attempts = 0
                WHERE id = ?
                """, arguments: [hash, now, now, userID])
        }
    }
}
