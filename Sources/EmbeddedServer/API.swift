import Hummingbird
import Logging
import MattermostModel

/// What every route handler needs.
struct API: Sendable {
    let store: Store
    let sessions: SessionService
    let webSocket: WebSocketService
    let config: ServerConfiguration
    let logger: Logger
    let channelViews: ChannelViews
    /// The client config's `DiagnosticId`: one per data folder, as Mattermost's is one per installation.
    let diagnosticID: String

    var now: Int64 { config.clock.nowMillis }

    func body<T: Decodable>(_ type: T.Type, _ request: Request, param: String) async throws -> T {
        try await HTTP.decodeBody(type, from: request, limit: config.maxBodyBytes, param: param)
    }

    /// A path user id that must name an existing user.
    func existingUser(_ id: String) async throws -> StoredUser {
        guard let user = try await store.user(id: id) else { throw APIErrors.userNotFound }
        return user
    }

    /// The session's activity, where Mattermost records it (createPost, viewChannel): last activity, expiry
    /// extension, and the activity clock of its WebSocket connections.
    func noteActivity(_ caller: Caller) async throws {
        try await sessions.extendExpiryIfNeeded(caller.session)
        await webSocket.noteActivity(userID: caller.userID, tokenHash: caller.session.tokenHash)
    }

    /// Public routes on `router`; session-required ones (Mattermost's `APISessionRequired`) on a group whose
    /// context carries the caller that `AuthMiddleware` found.
    func register(on router: Router<APIRequestContext>) {
        let session = router.group(context: SessionContext.self)
        registerSystemRoutes(on: router)
        registerUserRoutes(public: router, session: session)
        registerPasswordRoutes(on: session)
        registerSessionRoutes(on: session)
        registerTeamRoutes(on: session)
        registerPostRoutes(on: session)
        registerMemberRoutes(on: session)
        registerWebConsoleRoutes(on: router)
    }
}
