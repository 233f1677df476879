import Hummingbird
import Logging
import MattermostModel

/// Logins, token checks, expiry and extension: the rules MM-T941 depends on.
struct SessionService: Sendable {
    let store: Store
    let config: ServerConfiguration
    let logger: Logger

    var clock: SimClock { config.clock }

    /// Mattermost: max(min(1% of the length, 1 day), 5 minutes) between two extensions.
    var extensionThresholdMillis: Int64 {
        let length = config.sessionLengthMillis
        return max(min(length / 100, 86_400_000), 300_000)
    }

    struct Login: Sendable {
        var user: CachedUser
        var session: StoredSession
        var token: String
    }

    func login(loginID: String, password: String, deviceID: String, userAgent: String?) async throws -> Login {
        guard !loginID.isEmpty else { throw APIErrors.invalidBodyParam("login_id") }
        guard let found = try await store.user(loginID: loginID) else {
            _ = Passwords.verify(password, hash: Passwords.dummyHash)
            throw APIErrors.invalidCredentials
        }
        let (user, generation) = try await store.withPasswordCheck(userID: found.id) { user, generation in
            guard let user else { throw APIErrors.invalidCredentials }
            // Mattermost checks "not deactivated" before the password (preflight criteria).
            guard user.isActive else { throw APIErrors.inactive }
            // Then the lockout, also before the password, so that a locked account cannot be probed.
            guard user.failedAttempts < config.maximumLoginAttempts else {
                throw APIErrors.tooManyLoginAttempts
            }
            guard Passwords.verify(password, hash: user.passwordHash) else {
                try await store.recordFailedAttempt(userID: user.id)
                throw APIErrors.invalidCredentials
            }
            return (user, generation)
        }
        let now = clock.nowMillis
        var props = UserAgent.props(userAgent)
        props["csrf"] = MattermostID.new()
        if !deviceID.isEmpty { props["is_mobile"] = "true" }
        let token = MattermostID.new()
        // Every session gets the mobile length: mmsim's clients are phones, and Mattermost's web default
        // (SessionLengthWebInHours) is also 720 h, so a web-style login loses nothing by it.
        let session = StoredSession(id: MattermostID.new(), tokenHash: TokenHash.hex(token), createAt: now,
                                    expiresAt: now + config.sessionLengthMillis, userID: user.id,
                                    deviceID: deviceID, roles: user.roles, props: props)
        // Clears the failed attempts and, a device holding one session per user, replaces its old session.
        try await store.startSession(session)
        config.onTokenIssued?(token)
        logger.info("login", metadata: ["user": "\(user.username)", "session": "\(session.id)"])
        return Login(user: try store.cacheUser(user, readUnder: generation), session: session, token: token)
    }

    /// The live session for a token, or nil. An expired one is deleted on sight, as Mattermost does.
    func liveSession(token: String) async throws -> StoredSession? {
        let hash = TokenHash.hex(token)
        // Found by an exact match on the hash (index or cache key): nothing left to compare.
        guard let session = try await store.session(tokenHash: hash) else { return nil }
        if session.isExpired(atMillis: clock.nowMillis) {
            try await store.deleteSession(id: session.id)
            return nil
        }
        return session
    }

    /// For the WebSocket: is the session behind a connection still there and unexpired? (No extension.)
    /// Every ping and every broadcast asks, so it goes through the session cache (by token hash), not the database.
    func isLive(tokenHash: String) async -> Bool {
        guard let session = try? await store.session(tokenHash: tokenHash) else { return false }
        return !session.isExpired(atMillis: clock.nowMillis)
    }

    /// The caller of a REST request, or nil (no token, or not a live session of an active user). Throws the 401
    /// `session_expired` for a cookie-authenticated write without the CSRF proof. Reading is no activity: only the
    /// calls Mattermost names record it (see `extendExpiryIfNeeded`).
    func caller(of request: Request) async throws -> Caller? {
        guard let found = AuthToken.find(in: request.headers),
              let session = try await liveSession(token: found.token),
              let user = try await store.user(id: session.userID), user.isActive else {
            return nil
        }
        if found.source == .cookie, !AuthToken.passesCSRF(request, session: session) {
            throw APIErrors.sessionExpired
        }
        return Caller(session: session, user: user)
    }

    /// Mattermost's SessionActivityTimeout: last_activity_at is written at most once per 5 minutes.
    static let activityWriteIntervalMillis: Int64 = 5 * 60_000

    /// `UpdateLastActivityAtIfNeeded` then `ExtendSessionExpiryIfNeeded` (app/session.go), as Mattermost calls them
    /// from createPost, viewChannel and the WebSocket's user_typing only: with ExtendSessionLengthWithActivity,
    /// expires_at moves to now + length once max(min(1% of the length, 1 day), 5 min) has passed since it was last
    /// set. Nothing is written while nothing is due.
    func extendExpiryIfNeeded(_ session: StoredSession) async throws {
        let now = clock.nowMillis
        guard !session.isExpired(atMillis: now) else { return }
        var session = session
        let length = config.sessionLengthMillis
        let extend = config.extendSessionLengthWithActivity
            && now - (session.expiresAt - length) >= extensionThresholdMillis
        guard extend || now - session.lastActivityAt >= Self.activityWriteIntervalMillis else { return }
        session.lastActivityAt = now
        if extend {
            session.expiresAt = now + length
            session.lastExtendedAt = now
        }
        try await store.updateActivity(sessionID: session.id, lastActivityAt: now, expiresAt: session.expiresAt,
                                       lastExtendedAt: session.lastExtendedAt)
    }

    /// The same for the WebSocket, whose connection knows its session by token hash.
    func extendExpiryIfNeeded(tokenHash: String) async {
        guard let session = try? await store.session(tokenHash: tokenHash) else { return }
        do {
            try await extendExpiryIfNeeded(session)
        } catch {
            logger.warning("could not extend a session", metadata: ["error": "\(error)"])
        }
    }
}
