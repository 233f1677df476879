import Hummingbird
import MattermostModel

/// The context of every REST route: who is calling, as `AuthMiddleware` found out once per request.
/// nil for an anonymous request, or one whose token is no live session (public routes still serve it).
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var caller: Caller?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// The context of a session-required route (Mattermost's `APISessionRequired`): its caller is certain. Made from
/// the parent context before the handler runs; without a caller that fails with the 401 `session_expired`.
struct SessionContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let caller: Caller

    init(context: APIRequestContext) throws {
        guard let caller = context.caller else { throw APIErrors.sessionExpired }
        coreContext = context.coreContext
        self.caller = caller
    }
}

/// Finds the caller of every request once (web/handlers.go ServeHTTP): the token's live session and its active
/// user, else anonymous. A cookie-authenticated write without the CSRF proof is refused on every route
/// (`checkCSRFToken`: 401 `session_expired`), so a cross-site form cannot log anyone out either.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let sessions: SessionService

    func handle(_ request: Request, context: APIRequestContext,
                next: (Request, APIRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.caller = try await sessions.caller(of: request)
        return try await next(request, context)
    }
}

/// Route path patterns, built by the same `APIPath` functions the client calls, so a path is written once.
enum Route {
    static let userID = "user_id"
    static let username = "username"
    static let teamID = "team_id"
    static let channelID = "channel_id"

    static func param(_ name: String) -> String { ":\(name)" }
}
