import Foundation
import HTTPTypes
import Hummingbird
import MattermostModel

extension API {
    static let defaultPerPage = 60
    static let maxPerPage = 200

    func registerUserRoutes(on router: Router<BasicRequestContext>) {
        router.post("/api/v4/users/login") { request, _ in try await login(request) }
        router.post("/api/v4/users/logout") { request, _ in try await logout(request) }
        router.get("/api/v4/users") { request, _ in
            _ = try await sessions.authenticate(request)
            let page = try HTTP.intQuery("page", in: request, default: 0)
            let perPage = min(try HTTP.intQuery("per_page", in: request, default: Self.defaultPerPage), Self.maxPerPage)
            return try HTTP.json(try await store.users(page: page, perPage: perPage).map(\.model))
        }
        router.get("/api/v4/users/:user_id") { request, context in
            let caller = try await sessions.authenticate(request)
            let userID = try HTTP.id("user_id", in: context, me: caller.userID)
            return try await userResponse(userID)
        }
        router.put("/api/v4/users/:user_id/active") { request, context in
            let caller = try await sessions.authenticate(request)
            let userID = try HTTP.id("user_id", in: context, me: caller.userID)
            // Self-deactivation is off by default in Mattermost (EnableUserDeactivation), so: admins only.
            try caller.requireAdmin()
            let body = try await self.body(UpdateActiveRequest.self, request, param: "active")
            _ = try await existingUser(userID)
            try await store.setActive(userID: userID, active: body.active, now: now)
            logger.info("user active changed", metadata: ["user": "\(userID)", "active": "\(body.active)"])
            return try HTTP.statusOK
        }
    }

    private func login(_ request: Request) async throws -> Response {
        let body = try await self.body(LoginRequest.self, request, param: "login_id")
        let result = try await sessions.login(loginID: body.loginID, password: body.password,
                                              deviceID: body.deviceID ?? "", userAgent: request.headers[.userAgent])
        // The user's JSON as encoded for the cache: byte for byte what `HTTP.json(user.model)` writes.
        var response = Response(status: .ok, headers: [HTTP.tokenHeader: result.token, .contentType: "application/json"],
                                body: .init(byteBuffer: result.user.json))
        let maxAge = Int(config.sessionLengthMillis / 1000)
        // Mattermost's cookies: the token is HttpOnly; the user id and CSRF token are readable by the web app.
        response.setCookie(Cookie(name: APIPath.authCookie, value: result.token, maxAge: maxAge, path: "/",
                                  httpOnly: true))
        response.setCookie(Cookie(name: "MMUSERID", value: result.user.user.id, maxAge: maxAge, path: "/", httpOnly: false))
        response.setCookie(Cookie(name: "MMCSRF", value: result.session.props["csrf"] ?? "", maxAge: maxAge, path: "/",
                                  httpOnly: false))
        return response
    }

    /// Always OK, even for a dead or missing token: logging out can never fail.
    private func logout(_ request: Request) async throws -> Response {
        if let found = AuthToken.find(in: request.headers),
           let session = try await sessions.liveSession(token: found.token) {
            try await store.deleteSession(id: session.id)
        }
        var response = try HTTP.statusOK
        for name in [APIPath.authCookie, "MMUSERID", "MMCSRF"] {
            response.setCookie(Cookie(name: name, value: "", maxAge: 0, path: "/", httpOnly: name == APIPath.authCookie))
        }
        return response
    }
}
