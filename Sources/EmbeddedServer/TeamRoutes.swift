import Hummingbird
import MattermostModel

extension API {
    func registerTeamRoutes(on router: Router<BasicRequestContext>) {
        router.get("/api/v4/users/:user_id/teams") { request, context in
            let caller = try await sessions.authenticate(request)
            let userID = try HTTP.id("user_id", in: context, me: caller.userID)
            try caller.requireSelfOrAdmin(userID)
            return try EncodedBodies.json(try await store.teams(memberID: userID))
        }
        router.get("/api/v4/users/:user_id/teams/:team_id/channels") { request, context in
            let caller = try await sessions.authenticate(request)
            let userID = try HTTP.id("user_id", in: context, me: caller.userID)
            let teamID = try HTTP.id("team_id", in: context)
            try caller.requireSelfOrAdmin(userID)
            guard let channels = try await store.memberChannels(teamID: teamID, userID: userID) else {
                throw APIErrors.forbidden
            }
            return try EncodedBodies.json(channels)
        }
    }
}
