import GRDB
import MattermostModel

/// Which posts the posts route lists.
enum PostsQuery: Sendable {
    case since(Int64)
    case page(Paging)
}

enum MemberPosts: Sendable {
    case noChannel, notMember
    case posts([Post])
}

/// Teams, channels, memberships and posts: just enough for a phone to show channels and sync messages.
extension Store {
    func ensureTeam(name: String, displayName: String, now: Int64) async throws -> String {
        try await write { db in
            if let id = try String.fetchOne(db, sql: "SELECT id FROM teams WHERE name = ?", arguments: [name]) {
                return id
            }
            let team = TeamRecord(id: MattermostID.new(), createAt: now, name: name, displayName: displayName)
            try team.insert(db)
            return team.id
        }
    }

    func ensureChannel(teamID: String, name: String, displayName: String, now: Int64) async throws -> String {
        try await write { db in
            if let id = try String.fetchOne(db, sql: "SELECT id FROM channels WHERE team_id = ? AND name = ?",
                                            arguments: [teamID, name]) {
                return id
            }
            let channel = ChannelRecord(teamID: teamID, name: name, displayName: displayName, now: now)
            try channel.insert(db)
            return channel.id
        }
    }

    /// Joins the team and every channel in it (idempotent).
    func addToTeamAndChannels(userID: String, teamID: String) async throws {
        try await write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)",
                           arguments: [teamID, userID])
            try db.execute(sql: """
                INSERT OR IGNORE INTO channel_members (channel_id, user_id) SELECT id, ? FROM channels WHERE team_id = ?
                """, arguments: [userID, teamID])
        }
    }

    func teams(memberID userID: String) async throws -> [Team] {
        try await read { db in
            try TeamRecord.fetchAll(db.cachedStatement(sql: """
                SELECT t.* FROM teams t JOIN team_members m ON m.team_id = t.id WHERE m.user_id = ? ORDER BY t.name
                """), arguments: [userID]).map(\.model)
        }
    }

    /// The team's channels the user is in, or nil when the user is not in the team: one trip to the database queue
    /// for the channels route, which every phone calls at login.
    func memberChannels(teamID: String, userID: String) async throws -> [Channel]? {
        try await read { db in
            guard try Self.isTeamMember(db, teamID: teamID, userID: userID) else { return nil }
            return try Self.channels(db, teamID: teamID, memberID: userID)
        }
    }

    private static func isTeamMember(_ db: Database, teamID: String, userID: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM team_members WHERE team_id = ? AND user_id = ?"),
                          arguments: [teamID, userID]) ?? false
    }

    private static func channels(_ db: Database, teamID: String, memberID userID: String) throws -> [Channel] {
        try ChannelRecord.fetchAll(db.cachedStatement(sql: """
            SELECT c.* FROM channels c JOIN channel_members m ON m.channel_id = c.id
            WHERE c.team_id = ? AND m.user_id = ? ORDER BY c.name
            """), arguments: [teamID, userID]).map(\.model)
    }

    func channel(id: String) async throws -> Channel? {
        try await read { db in try Self.channel(db, id: id) }
    }

    func isChannelMember(channelID: String, userID: String) async throws -> Bool {
        try await read { db in try Self.isChannelMember(db, channelID: channelID, userID: userID) }
    }

    private static func channel(_ db: Database, id: String) throws -> Channel? {
        try ChannelRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM channels WHERE id = ?"), arguments: [id])?.model
    }

    private static func isChannelMember(_ db: Database, channelID: String, userID: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM channel_members WHERE channel_id = ? AND user_id = ?"),
                          arguments: [channelID, userID]) ?? false
    }

    func channelMemberIDs(channelID: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(db.cachedStatement(sql: "SELECT user_id FROM channel_members WHERE channel_id = ?"), arguments: [channelID])
        }
    }

    /// The posts route's reads in one trip to the database queue: the channel, the caller's membership, the posts.
    func memberPosts(channelID: String, userID: String, query: PostsQuery) async throws -> MemberPosts {
        try await read { db in
            guard try Self.channel(db, id: channelID) != nil else { return .noChannel }
            guard try Self.isChannelMember(db, channelID: channelID, userID: userID) else { return .notMember }
            return .posts(try Self.posts(db, channelID: channelID, query: query))
        }
    }

    /// `since`: created or edited after it (Mattermost's `since` sync); newest first either way.
    private static func posts(_ db: Database, channelID: String, query: PostsQuery) throws -> [Post] {
        switch query {
        case .since(let since):
            return try PostRecord.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM posts WHERE channel_id = ? AND update_at > ? ORDER BY create_at DESC, id DESC
                """), arguments: [channelID, since]).map(\.model)
        case .page(let paging):
            return try PostRecord.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM posts WHERE channel_id = ? ORDER BY create_at DESC, id DESC LIMIT ? OFFSET ?
                """), arguments: [channelID, paging.perPage, paging.offset]).map(\.model)
        }
    }

    /// A post's channel and its own root (empty for a root post), for a reply's checks.
    func thread(ofPost id: String) async throws -> (channelID: String, rootID: String)? {
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT channel_id, root_id FROM posts WHERE id = ?"), arguments: [id])
                .map { (channelID: $0["channel_id"], rootID: $0["root_id"] ?? "") }
        }
    }

    /// Creates the post, or returns the one this user already created with the same `pending_post_id`.
    /// The check and the insert share one transaction, so two racing retries still make one post.
    func createPost(_ post: Post) async throws -> (post: Post, created: Bool) {
        try await write { db in
            if !post.pendingPostID.isEmpty,
               let found = try PostRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM posts WHERE user_id = ? AND pending_post_id = ?"),
                                                   arguments: [post.userID, post.pendingPostID]) {
                return (found.model, false)
            }
            // A virtual clock stands still between steps: keep create_at strictly increasing per channel so that
            // posts sent within one clock millisecond still list in the order they arrived.
            var post = post
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(create_at) FROM posts WHERE channel_id = ?",
                                          arguments: [post.channelID]) ?? 0
            if post.createAt <= last {
                post.createAt = last + 1
                post.updateAt = post.createAt
            }
            try PostRecord(post).insert(db)
            try db.execute(sql: """
                UPDATE channels SET last_post_at = ?, total_msg_count = total_msg_count + 1 WHERE id = ?
                """, arguments: [post.createAt, post.channelID])
            return (post, true)
        }
    }
}
