import GRDB

/// Failed password attempts per user (Mattermost's Users.FailedAttempts).
extension Store {
    func recordFailedAttempt(userID: String) async throws {
        try await db.write { db in
            try db.execute(sql: "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?", arguments: [userID])
        }
    }

    func clearFailedAttempts(userID: String) async throws {
        try await db.write { db in
            try db.execute(sql: "UPDATE users SET failed_attempts = 0 WHERE id = ? AND failed_attempts != 0",
                           arguments: [userID])
        }
    }

    /// Clears a lockout by username or email; false when no such user exists.
    func unlock(loginID: String) async throws -> Bool {
        guard let user = try await user(loginID: loginID) else { return false }
        try await clearFailedAttempts(userID: user.id)
        return true
    }
}
