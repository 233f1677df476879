import Foundation
import HTTPTypes
import Hummingbird
import MattermostModel

extension API {
    func registerUserRoutes(public router: Router<APIRequestContext>, session: RouterGroup<SessionContext>) {
        let userID = Route.param(Route.userID)
        router.post(RouterPath(APIPath.login)) { request, _ in try await login(request) }
        router.post(RouterPath(APIPath.logout)) { request, context in try await logout(context.caller, request) }
        session.get(RouterPath(APIPath.users)) { request, _ in
            return try HTTP.json(try await store.users(Paging(request)).map(\.model))
        }
        session.post(RouterPath(APIPath.userSearch)) { request, _ in try await searchUsers(request) }
        session.get(RouterPath(APIPath.user(userID))) { _, context in
            let userID = try HTTP.id(Route.userID, in: context, me: context.caller.userID)
            return try await userResponse(userID)
        }
        session.get(RouterPath(APIPath.user(username: Route.param(Route.username)))) { _, context in
            try await userByUsername(context)
        }
        session.put(RouterPath(APIPath.active(userID))) { request, context in
            try await updateActive(request, context: context)
        }
    }

    /// api4/user.go searchUsers, for the System Console's search box: a term is required (400 `term`), limit 0
    /// means 100. Matches what the term starts (a leading `@` dropped): a username or an email, any case.
    private func searchUsers(_ request: Request) async throws -> Response {
        let body = try await self.body(UserSearchRequest.self, request, param: "term")
        var term = body.term.trimmingCharacters(in: .whitespaces)
        if term.hasPrefix("@") { term.removeFirst() }
        guard !term.isEmpty else { throw APIErrors.invalidBodyParam("term") }
        let limit = body.limit <= 0 ? UserSearchRequest.defaultLimit : min(body.limit, UserSearchRequest.maxLimit)
        let found = try await store.users(startingWith: term, includeInactive: body.allowInactive, limit: limit)
        return try HTTP.json(found.map(\.model))
    }

    /// api4/user.go getUserByUsername: a name Mattermost could not hold is a 400 (RequireUsername), nobody by
    /// that name a 404.
    private func userByUsername(_ context: SessionContext) async throws -> Response {
        guard let name = context.parameters.get(Route.username), Seed.isValidUsername(name) else {
            throw APIErrors.invalidBodyParam(Route.username)
        }
        guard let id = try await store.userID(username: name) else { throw UserErrors.usernameNotFound }
        return try await userResponse(id)
    }

    /// api4/user.go updateUserActive: anyone but a self-deactivation needs the user-management permission (403);
    /// self-deactivation needs `EnableUserDeactivation` (off by default: 401), an admin's own included.
    private func updateActive(_ request: Request, context: SessionContext) async throws -> Response {
        let caller = context.caller
        let userID = try HTTP.id(Route.userID, in: context, me: caller.userID)
        let body = try await self.body(UpdateActiveRequest.self, request, param: "active")
        let isSelfDeactivation = !body.active && userID == caller.userID
        if !isSelfDeactivation, !caller.isSystemAdmin { throw UserErrors.updateActiveNotPermitted }
        if isSelfDeactivation, !config.enableUserDeactivation { throw UserErrors.selfDeactivationDisabled }
        _ = try await existingUser(userID)
        try await store.setActive(userID: userID, active: body.active, now: now)
        logger.info("user active changed", metadata: ["user": "\(userID)", "active": "\(body.active)"])
        return try HTTP.statusOK
    }

    private func login(_ request: Request) async throws -> Response {
        let body = try await self.body(LoginRequest.self, request, param: "login_id")
        // AuthenticateUserForLogin: a blank password is refused before anything else, unmasked.
        guard !body.password.isEmpty else { throw UserErrors.blankPassword }
        let result = try await sessions.login(loginID: body.loginID, password: body.password,
                                              deviceID: body.deviceID ?? "", userAgent: request.headers[.userAgent])
        // The user's JSON as encoded for the cache: byte for byte what `HTTP.json(user.model)` writes.
        var response = Response(status: .ok, headers: [HTTP.tokenHeader: result.token, .contentType: "application/json"],
                                body: .init(byteBuffer: result.user.json))
        let maxAge = Int(config.sessionLengthMillis / 1000)
        let secure = isHTTPS(request)
        // Mattermost's cookies: the token is HttpOnly; the user id and CSRF token are readable by the web app.
        response.setCookie(Cookie(name: APIPath.authCookie, value: result.token, maxAge: maxAge, path: "/",
                                  secure: secure, httpOnly: true))
        response.setCookie(Cookie(name: "MMUSERID", value: result.user.user.id, maxAge: maxAge, path: "/",
                                  secure: secure, httpOnly: false))
        response.setCookie(Cookie(name: "MMCSRF", value: result.session.props["csrf"] ?? "", maxAge: maxAge, path: "/",
                                  secure: secure, httpOnly: false))
        return response
    }

    /// `GetProtocol` in Mattermost's AttachSessionCookies: over TLS, or behind a proxy that says it took https,
    /// the cookies are Secure, so a browser never sends the session over plain http to the same host.
    private func isHTTPS(_ request: Request) -> Bool {
        config.tls != nil || request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https"
    }

    /// OK even for a dead or missing token (Mattermost's `logout` needs no session); a cookie without the CSRF
    /// proof never gets here (`AuthMiddleware`).
    private func logout(_ caller: Caller?, _ request: Request) async throws -> Response {
        if let caller { try await store.deleteSession(id: caller.session.id) }
        var response = try HTTP.statusOK
        for name in [APIPath.authCookie, "MMUSERID", "MMCSRF"] {
            response.setCookie(Cookie(name: name, value: "", maxAge: 0, path: "/", secure: isHTTPS(request),
                                      httpOnly: name == APIPath.authCookie))
        }
        return response
    }
}

/// The AppErrors of the user routes, with Mattermost's ids, statuses and wording.
enum UserErrors {
    static var updateActiveNotPermitted: AppError {
        AppError(id: "api.user.update_active.permissions.app_error", message: ErrorID.permissionsMessage,
                 statusCode: 403)
    }

    static var selfDeactivationDisabled: AppError {
        AppError(id: "api.user.update_active.not_enable.app_error",
                 message: "You cannot deactivate yourself because this feature is not enabled. Please contact your System Administrator.",
                 statusCode: 401)
    }

    static var usernameNotFound: AppError {
        AppError(id: "app.user.get_by_username.app_error",
                 message: "Unable to find an existing account matching your username for this team. This team may require an invite from the team owner to join.",
                 statusCode: 404)
    }

    static var blankPassword: AppError {
        AppError(id: "api.user.login.blank_pwd.app_error", message: "Password field must not be blank", statusCode: 400)
    }
}
