import Foundation
import Hummingbird
import MattermostModel

extension API {
    static let maxMessageRunes = 16_383  // Mattermost's PostMessageMaxRunesV2
    static let maxPendingPostIDRunes = 100

    func registerPostRoutes(on session: RouterGroup<SessionContext>) {
        session.get(RouterPath(APIPath.channelPosts(Route.param(Route.channelID)))) { request, context in
            let caller = context.caller
            let channelID = try HTTP.id(Route.channelID, in: context)
            // A bad query parameter is reported after the channel and membership checks, as it always was.
            let query = Result { try postsQuery(request) }
            let posts: [Post]
            switch try await store.memberPosts(channelID: channelID, userID: caller.userID,
                                               query: (try? query.get()) ?? .since(0)) {
            case .noChannel: throw APIErrors.channelNotFound
            case .notMember: throw APIErrors.forbidden
            case .posts(let found):
                _ = try query.get()
                posts = found
            }
            let list = PostList(order: posts.map(\.id), posts: Dictionary(posts.map { ($0.id, $0) }) { first, _ in first })
            return try EncodedBodies.json(list)
        }
        session.post(RouterPath(APIPath.posts)) { request, context in
            let caller = context.caller
            let body = try await self.body(CreatePostRequest.self, request, param: "post")
            let response = try await createPost(body, caller: caller)
            try await noteActivity(caller)
            return response
        }
    }

    private func postsQuery(_ request: Request) throws -> PostsQuery {
        if let since = try HTTP.int64Query("since", in: request) { return .since(since) }
        let page = try HTTP.intQuery("page", in: request, default: 0)
        let perPage = min(try HTTP.intQuery("per_page", in: request, default: Self.defaultPerPage), Self.maxPerPage)
        return .page(page, perPage: perPage)
    }

    /// The channel, if it exists and the caller is in it.
    private func memberChannel(_ channelID: String, caller: Caller) async throws -> Channel {
        guard let channel = try await store.channel(id: channelID) else { throw APIErrors.channelNotFound }
        guard try await store.isChannelMember(channelID: channelID, userID: caller.userID) else {
            throw APIErrors.forbidden
        }
        return channel
    }

    private func createPost(_ body: CreatePostRequest, caller: Caller) async throws -> Response {
        guard MattermostID.isValid(body.channelID) else { throw APIErrors.invalidBodyParam("channel_id") }
        guard !body.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
              body.message.count <= Self.maxMessageRunes else { throw APIErrors.invalidBodyParam("message") }
        let pendingID = body.pendingPostID ?? ""
        guard pendingID.count <= Self.maxPendingPostIDRunes else { throw APIErrors.invalidBodyParam("pending_post_id") }
        let rootID = body.rootID ?? ""
        guard rootID.isEmpty || MattermostID.isValid(rootID) else { throw APIErrors.invalidBodyParam("root_id") }
        let channel = try await memberChannel(body.channelID, caller: caller)

        let now = self.now
        var post = Post(id: MattermostID.new(), createAt: now, userID: caller.userID, channelID: channel.id,
                        message: body.message, pendingPostID: pendingID)
        post.rootID = rootID
        // Mattermost remembers pending_post_id for ~30 s only. We keep it with the post for good: the
        // simulated phone retries its outbox after minutes offline (MM-T941), and a duplicate would be a bug
        // the test cannot tell apart from a real one.
        let result = try await store.createPost(post)
        if result.created {
            await broadcastPosted(result.post, channel: channel, sender: caller.user)
        }
        return try HTTP.json(result.post, status: .created)
    }

    private func broadcastPosted(_ post: Post, channel: Channel, sender: StoredUser) async {
        guard let postJSON = (try? HTTP.encoder.encode(post)).flatMap({ String(data: $0, encoding: .utf8) }) else { return }
        let members = (try? await store.channelMemberIDs(channelID: channel.id)) ?? []
        await webSocket.broadcast(WebSocketEvent.posted, data: [
            "post": .string(postJSON),
            "channel_display_name": .string(channel.displayName),
            "channel_name": .string(channel.name),
            "channel_type": .string(channel.type),
            "sender_name": .string("@\(sender.username)"),
            "team_id": .string(channel.teamID),
        ], broadcast: WebSocketBroadcast(channelID: channel.id), to: Set(members))
    }
}
