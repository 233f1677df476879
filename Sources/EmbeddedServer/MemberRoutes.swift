import Hummingbird
import MattermostModel

/// What the mobile app fetches on entry besides teams and channels (its preferences, team and channel
/// memberships) and `POST /channels/members/{user_id}/view` when a channel opens.
extension API {
    func registerMemberRoutes(on session: RouterGroup<SessionContext>) {
        let userID = Route.param(Route.userID)
        let teamID = Route.param(Route.teamID)
        // api4/preference.go getPreferences: self, or edit_other_users. mmsim stores no preferences: [].
        session.get(RouterPath(APIPath.preferences(userID))) { _, context in
            let userID = try HTTP.id(Route.userID, in: context, me: context.caller.userID)
            try context.caller.requireSelfOrAdmin(userID)
            return try HTTP.json([Preference]())
        }
        // api4/team.go getTeamMembersForUser.
        session.get(RouterPath(APIPath.teamMembers(ofUser: userID))) { _, context in
            let userID = try HTTP.id(Route.userID, in: context, me: context.caller.userID)
            try context.caller.requireSelfOrAdmin(userID)
            let teams = try await store.teams(memberID: userID)
            return try HTTP.json(teams.map { TeamMember(teamID: $0.id, userID: userID, createAt: $0.createAt) })
        }
        // api4/channel.go getChannelMembersForTeamForUser: a team the user is not in is 403.
        session.get(RouterPath(APIPath.channelMembers(ofUser: userID, team: teamID))) { _, context in
            let userID = try HTTP.id(Route.userID, in: context, me: context.caller.userID)
            let teamID = try HTTP.id(Route.teamID, in: context)
            try context.caller.requireSelfOrAdmin(userID)
            guard let channels = try await store.memberChannels(teamID: teamID, userID: userID) else {
                throw APIErrors.forbidden
            }
            var members: [ChannelMember] = []
            for channel in channels {
                let view = await channelViews.view(userID: userID, channelID: channel.id)
                members.append(ChannelMember(channelID: channel.id, userID: userID,
                                             lastViewedAt: view?.lastViewedAt ?? 0, msgCount: view?.msgCount ?? 0,
                                             lastUpdateAt: view?.lastViewedAt ?? channel.createAt))
            }
            return try HTTP.json(members)
        }
        session.post(RouterPath(APIPath.viewChannel(ofUser: userID))) { request, context in
            try await viewChannel(request, context: context)
        }
    }

    /// api4/channel.go viewChannel → App.ViewChannel: marks the channel (and the previous one) viewed for the user,
    /// for the channels the user is in, then records activity and extends the session (ExtendSessionExpiryIfNeeded).
    private func viewChannel(_ request: Request, context: SessionContext) async throws -> Response {
        let caller = context.caller
        let userID = try HTTP.id(Route.userID, in: context, me: caller.userID)
        try caller.requireSelfOrAdmin(userID)
        let view = try await body(ChannelViewRequest.self, request, param: "channel_view")
        guard view.channelID.isEmpty || MattermostID.isValid(view.channelID) else {
            throw APIErrors.invalidBodyParam("channel_view.channel_id")
        }
        guard view.prevChannelID.isEmpty || MattermostID.isValid(view.prevChannelID) else {
            throw APIErrors.invalidBodyParam("channel_view.prev_channel_id")
        }
        // With collapsed threads the previous channel is not marked again (App.ViewChannel).
        var ids = [view.channelID]
        if !view.collapsedThreadsSupported { ids.append(view.prevChannelID) }
        var times: [String: Int64] = [:]
        let now = self.now
        for id in ids where !id.isEmpty {
            guard let channel = try await store.channel(id: id),
                  try await store.isChannelMember(channelID: id, userID: userID) else { continue }
            await channelViews.record(userID: userID, channelID: id, at: now, msgCount: channel.totalMsgCount)
            times[id] = now
        }
        try await noteActivity(caller)
        return try HTTP.json(ChannelViewResponse(lastViewedAtTimes: times))
    }
}
