import Foundation
import Hummingbird
import MattermostModel

extension API {
    /// Mattermost's `PostMessageMaxRunesV2`, counted in runes (Unicode scalars), not characters.
    static let maxMessageRunes = 16_383
    static let maxPendingPostIDRunes = 100

    func registerPostRoutes(on session: RouterGroup<SessionContext>) {
        session.get(RouterPath(APIPath.channelPosts(Route.param(Route.channelID)))) { request, context in
            let caller = context.caller
            let channelID = try HTTP.id(Route.channelID, in: context)
            // As `getPostsForChannel`: a malformed `since` is a 400 before the channel is looked at; zero or
            // negative means "no since", so the page is listed.
            let since = try HTTP.since(in: request) ?? 0
            let query: PostsQuery = since > 0 ? .since(since) : .page(Paging(request))
            let posts: [Post]
            switch try await store.memberPosts(channelID: channelID, userID: caller.userID, query: query) {
            case .noChannel: throw APIErrors.channelNotFound
            case .notMember: throw APIErrors.forbidden
            case .posts(let found): posts = found
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
        guard !body.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIErrors.invalidBodyParam("message")
        }
        guard body.message.unicodeScalars.count <= Self.maxMessageRunes else { throw APIErrors.messageTooLong }
        let pendingID = body.pendingPostID ?? ""
        guard pendingID.count <= Self.maxPendingPostIDRunes else { throw APIErrors.invalidBodyParam("pending_post_id") }
        // SQLite hands text back up to its first NUL: a stored text with one would be cut short when read (the
        // message, or the id a retry is matched by), so it is refused whole; Mattermost's PostgreSQL cannot store
        // one either.
        for (name, text) in [("message", body.message), ("pending_post_id", pendingID)] where text.utf8.contains(0) {
            throw APIErrors.invalidBodyParam(name, detail: "the \(name) contains a NUL character")
        }
        let rootID = body.rootID ?? ""
        guard rootID.isEmpty || MattermostID.isValid(rootID) else { throw APIErrors.invalidBodyParam("root_id") }
        let channel = try await memberChannel(body.channelID, caller: caller)
        // app/post.go CreatePost: a reply's root must exist and be a root itself, in the same channel.
        if !rootID.isEmpty {
            guard let root = try await store.thread(ofPost: rootID), root.rootID.isEmpty else { throw APIErrors.invalidRootID }
            guard root.channelID == channel.id else { throw APIErrors.rootInAnotherChannel }
        }

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
