import GRDB
import Logging
import MattermostModel

extension SeedAccounts {
    /// The run-scoped accounts of a fleet or soak run: user-1…user-N (at least one).
    public static func runUsernames(_ count: Int) -> [String] { (1...max(1, count)).map { "user-\($0)" } }
}

extension EmbeddedServer {
    /// A server for one fleet or soak run, with `runUsers` accounts (`SeedAccounts.runUsernames`) made before it
    /// answers anyone; stopped again if they cannot be made.
    public static func start(_ configuration: ServerConfiguration, runUsers: Int, logger: Logger) async throws -> EmbeddedServer {
        let server = try await start(configuration, logger: logger)
        do {
            try await server.ensureUsers(usernames: SeedAccounts.runUsernames(runUsers))
        } catch {
            await server.stop()
            throw error
        }
        return server
    }

    /// Run-scoped `user-N` accounts in bulk (`mmsim fleet`): one transaction, and one bcrypt hash of the shared
    /// sample password for all of them — they all have that password anyway, and hashing 10,000 times at
    /// cost 4 would cost ~15 s of CPU before the first phone starts. Existing users are left as they are.
    public func ensureUsers(usernames: [String]) async throws {
        let names = usernames.map { $0.lowercased() }
        if let bad = names.first(where: { !Seed.isValidUsername($0) }) { throw EmbeddedServerError.invalidUsername(bad) }
        let now = configuration.clock.nowMillis
        let teamID = try await store.ensureTeam(name: SeedAccounts.teamName, displayName: SeedAccounts.teamDisplayName,
                                                now: now)
        let hash = Passwords.hash(SeedAccounts.userPassword, cost: configuration.effectiveBcryptCost)
        try await store.write { db in
            for name in names {
                try Store.insert(StoredUser(username: name, email: SeedAccounts.email(for: name), passwordHash: hash,
                                            roles: SeedAccounts.userRoles, now: now), db)
                try db.execute(sql: "INSERT OR IGNORE INTO team_members (team_id, user_id) SELECT ?, id FROM users WHERE username = ?",
                               arguments: [teamID, name])
                try db.execute(sql: """
                    INSERT OR IGNORE INTO channel_members (channel_id, user_id)
                    SELECT c.id, u.id FROM channels c, users u WHERE c.team_id = ? AND u.username = ?
                    """, arguments: [teamID, name])
            }
        }
    }
}
