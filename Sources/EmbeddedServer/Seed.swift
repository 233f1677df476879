import MattermostModel

/// The accounts every fresh mmsim server has; shown by `--help`, the README and the headless runner.
public enum SeedAccounts {
    public static let adminUsername = "sysadmin"
    public static let adminPassword = "Sys@dmin-sample1"
    public static let userPassword = "SampleUser@1"
    public static let adminRoles = "system_admin system_user"
    public static let userRoles = "system_user"
    public static let teamName = "qa"
    public static let teamDisplayName = "QA"
    public static let channels: [(name: String, displayName: String)] = [
        ("town-square", "Town Square"), ("off-topic", "Off-Topic"),
    ]

    public static let all: [(username: String, password: String, roles: String)] = [
        (adminUsername, adminPassword, adminRoles),
        ("user-1", userPassword, userRoles),
        ("user-2", userPassword, userRoles),
        ("user-3", userPassword, userRoles),
    ]

    public static func email(for username: String) -> String { "\(username)@sample.mattermost.com" }
}

/// First-start content. Every step is "insert if missing", so running it on each start is harmless.
enum Seed {
    static func run(store: Store, config: ServerConfiguration) async throws {
        let now = config.clock.nowMillis
        let teamID = try await store.ensureTeam(name: SeedAccounts.teamName, displayName: SeedAccounts.teamDisplayName,
                                                now: now)
        for channel in SeedAccounts.channels {
            _ = try await store.ensureChannel(teamID: teamID, name: channel.name, displayName: channel.displayName, now: now)
        }
        for account in SeedAccounts.all {
            _ = try await createMember(store: store, config: config, teamID: teamID, username: account.username,
                                       password: account.password, roles: account.roles)
        }
    }

    static func createMember(store: Store, config: ServerConfiguration, teamID: String, username: String,
                             password: String, roles: String) async throws -> StoredUser {
        let cost = config.effectiveBcryptCost
        let user = try await store.insertUserIfMissing(
            username: username, email: SeedAccounts.email(for: username),
            passwordHash: { Passwords.hash(password, cost: cost) }, roles: roles, now: config.clock.nowMillis)
        try await store.addToTeamAndChannels(userID: user.id, teamID: teamID)
        return user
    }

    /// Mattermost's username rule: 3–22 of a-z 0-9 . - _, starting with a letter.
    static func isValidUsername(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
        guard (3...22).contains(name.count), let first = name.first, first.isLetter, first.isLowercase else { return false }
        return name.allSatisfy { allowed.contains($0) }
    }
}
