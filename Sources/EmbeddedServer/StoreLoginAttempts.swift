import GRDB

/// Failed password attempts per user (Mattermost's Users.FailedAttempts).
extension Store {
    /// Reads the user's row afresh and runs `check` with it, one check at a time per user: the lockout test, the
    /// password verification and the increment of a failure then act as one step, so concurrent wrong passwords
    /// cannot all pass a count read before any of them was recorded (60 at once made 34 checks, not 10).
    /// `check` gets nil when the user vanished since the caller looked it up; the generation is for `cacheUser`.
    func withPasswordCheck<T: Sendable>(userID: String,
                                        _ check: (StoredUser?, _ generation: UInt64) async throws -> T) async throws -> T {
        try await passwordChecks.run(userID) {
            let generation = cache.generation
            let user = try await read { db in try Self.user(id: userID, db) }
            return try await check(user, generation)
        }
    }

    func recordFailedAttempt(userID: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?", arguments: [userID])
        }
    }

    func clearFailedAttempts(userID: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE users SET failed_attempts = 0 WHERE id = ? AND failed_attempts != 0",
                           arguments: [userID])
        }
    }

    /// Clears a lockout by username or email; false when no such user exists.
    func unlock(loginID: String) async throws -> Bool {
        try await write { db in try Self.unlock(loginID: loginID, db) }
    }

    /// The one unlock, for a running server and for a stopped server's data folder alike.
    static func unlock(loginID: String, _ db: Database) throws -> Bool {
        guard let user = try user(loginID: loginID, db) else { return false }
        try db.execute(sql: "UPDATE users SET failed_attempts = 0 WHERE id = ? AND failed_attempts != 0",
                       arguments: [user.id])
        return true
    }
}
