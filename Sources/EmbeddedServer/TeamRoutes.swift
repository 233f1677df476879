import Hummingbird
import MattermostModel

extension API {
    func registerTeamRoutes(on session: RouterGroup<SessionContext>) {
        let userID = Route.param(Route.userID)
        let teamID = Route.param(Route.teamID)
        session.get(RouterPath(APIPath.teams(ofUser: userID))) { _, context in
            let caller = context.caller
            let userID = try HTTP.id(Route.userID, in: context, me: caller.userID)
            try caller.requireSelfOrAdmin(userID)
            return try EncodedBodies.json(try await store.teams(memberID: userID))
        }
        session.get(RouterPath(APIPath.channels(ofUser: userID, team: teamID))) { _, context in
            let caller = context.caller
            let userID = try HTTP.id(Route.userID, in: context, me: caller.userID)
            let teamID = try HTTP.id(Route.teamID, in: context)
            try caller.requireSelfOrAdmin(userID)
            guard let channels = try await store.memberChannels(teamID: teamID, userID: userID) else {
                throw APIErrors.forbidden
            }
            return try EncodedBodies.json(channels)
        }
    }
}
