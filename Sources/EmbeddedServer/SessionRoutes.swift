import Hummingbird
import MattermostModel

extension API {
    func registerSessionRoutes(on session: RouterGroup<SessionContext>) {
        let userID = Route.param(Route.userID)
        // api4/user.go getSessions: self, or a user manager (admins); for an id that names nobody the store finds
        // no sessions, so 200 [] rather than 404.
        session.get(RouterPath(APIPath.sessions(userID))) { _, context in
            let caller = context.caller
            let userID = try HTTP.id(Route.userID, in: context, me: caller.userID)
            try caller.requireSelfOrAdmin(userID)
            // Listing never shows a token.
            return try HTTP.json(try await store.sessions(userID: userID).map { $0.model(token: "") })
        }
        session.post(RouterPath(APIPath.revokeSession(userID))) { request, context in
            let caller = context.caller
            let userID = try HTTP.id(Route.userID, in: context, me: caller.userID)
            try caller.requireSelfOrAdmin(userID)
            let body = try await self.body(RevokeSessionRequest.self, request, param: "session_id")
            guard MattermostID.isValid(body.sessionID) else { throw APIErrors.invalidBodyParam("session_id") }
            guard let session = try await store.session(id: body.sessionID) else { throw APIErrors.sessionNotFound }
            guard session.userID == userID else { throw APIErrors.invalidURLParam("user_id") }
            try await store.deleteSession(id: session.id)
            logger.info("session revoked", metadata: ["session": "\(session.id)", "by": "\(caller.userID)"])
            return try HTTP.statusOK
        }
        session.post(RouterPath(APIPath.revokeAllOfUser(userID))) { _, context in
            let caller = context.caller
            let userID = try HTTP.id(Route.userID, in: context, me: caller.userID)
            try caller.requireSelfOrAdmin(userID)
            _ = try await existingUser(userID)
            try await store.deleteSessions(userID: userID)
            logger.info("all sessions of a user revoked", metadata: ["user": "\(userID)", "by": "\(caller.userID)"])
            return try HTTP.statusOK
        }
        // System Console > Users > "Revoke All Sessions": every session, the admin's own included.
        session.post(RouterPath(APIPath.revokeAllInSystem)) { _, context in
            let caller = context.caller
            try caller.requireAdmin()
            try await store.deleteAllSessions()
            logger.notice("all sessions in the system revoked", metadata: ["by": "\(caller.userID)"])
            return try HTTP.statusOK
        }
    }
}
