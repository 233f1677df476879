import Hummingbird
import MattermostModel

extension API {
    func registerSessionRoutes(on router: Router<BasicRequestContext>) {
        router.get("/api/v4/users/:user_id/sessions") { request, context in
            let caller = try await sessions.authenticate(request)
            let userID = try HTTP.id("user_id", in: context, me: caller.userID)
            try caller.requireSelfOrAdmin(userID)
            _ = try await existingUser(userID)
            // Listing never shows a token.
            return try HTTP.json(try await store.sessions(userID: userID).map { $0.model(token: "") })
        }
        router.post("/api/v4/users/:user_id/sessions/revoke") { request, context in
            let caller = try await sessions.authenticate(request)
            let userID = try HTTP.id("user_id", in: context, me: caller.userID)
            try caller.requireSelfOrAdmin(userID)
            let body = try await self.body(RevokeSessionRequest.self, request, param: "session_id")
            guard MattermostID.isValid(body.sessionID) else { throw APIErrors.invalidBodyParam("session_id") }
            guard let session = try await store.session(id: body.sessionID) else { throw APIErrors.sessionNotFound }
            guard session.userID == userID else { throw APIErrors.invalidURLParam("user_id") }
            try await store.deleteSession(id: session.id)
            logger.info("session revoked", metadata: ["session": "\(session.id)", "by": "\(caller.userID)"])
            return try HTTP.statusOK
        }
        router.post("/api/v4/users/:user_id/sessions/revoke/all") { request, context in
            let caller = try await sessions.authenticate(request)
            let userID = try HTTP.id("user_id", in: context, me: caller.userID)
            try caller.requireSelfOrAdmin(userID)
            _ = try await existingUser(userID)
            try await store.deleteSessions(userID: userID)
            logger.info("all sessions of a user revoked", metadata: ["user": "\(userID)", "by": "\(caller.userID)"])
            return try HTTP.statusOK
        }
        // System Console > Users > "Revoke All Sessions": every session, the admin's own included.
        router.post("/api/v4/users/sessions/revoke/all") { request, _ in
            let caller = try await sessions.authenticate(request)
            try caller.requireAdmin()
            try await store.deleteAllSessions()
            logger.notice("all sessions in the system revoked", metadata: ["by": "\(caller.userID)"])
            return try HTTP.statusOK
        }
    }
}
