import GRDB
import MattermostModel

/// Rows of the chat tables as GRDB records: decoding throws on a value of the wrong type instead of trapping.
struct TeamRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "teams"
    var id: String
    var createAt: Int64
    var name: String
    var displayName: String

    enum CodingKeys: String, CodingKey {
        case id, name
        case createAt = "create_at", displayName = "display_name"
    }

    var model: Team { Team(id: id, createAt: createAt, displayName: displayName, name: name) }
}

struct ChannelRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "channels"
    var id: String
    var teamID: String
    var createAt: Int64
    var updateAt: Int64
    var name: String
    var displayName: String
    var type = "O"
    var lastPostAt: Int64 = 0
    var totalMsgCount: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case id, name, type
        case teamID = "team_id", createAt = "create_at", updateAt = "update_at", displayName = "display_name"
        case lastPostAt = "last_post_at", totalMsgCount = "total_msg_count"
    }

    init(teamID: String, name: String, displayName: String, now: Int64) {
        id = MattermostID.new()
        self.teamID = teamID
        createAt = now
        updateAt = now
        self.name = name
        self.displayName = displayName
    }

    var model: Channel {
        var channel = Channel(id: id, createAt: createAt, teamID: teamID, displayName: displayName, name: name)
        channel.updateAt = updateAt
        channel.type = type
        channel.lastPostAt = lastPostAt
        channel.totalMsgCount = totalMsgCount
        return channel
    }
}

struct PostRecord: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "posts"
    var id: String
    var channelID: String
    var userID: String
    var createAt: Int64
    var updateAt: Int64
    var rootID: String
    var message: String
    var pendingPostID: String

    enum CodingKeys: String, CodingKey {
        case id, message
        case channelID = "channel_id", userID = "user_id", createAt = "create_at", updateAt = "update_at"
        case rootID = "root_id", pendingPostID = "pending_post_id"
    }

    init(_ post: Post) {
        id = post.id
        channelID = post.channelID
        userID = post.userID
        createAt = post.createAt
        updateAt = post.updateAt
        rootID = post.rootID
        message = post.message
        pendingPostID = post.pendingPostID
    }

    var model: Post {
        var post = Post(id: id, createAt: createAt, userID: userID, channelID: channelID, message: message,
                        pendingPostID: pendingPostID)
        post.updateAt = updateAt
        post.rootID = rootID
        return post
    }
}
