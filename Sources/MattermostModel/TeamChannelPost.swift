public struct Team: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var createAt: Int64
    public var updateAt: Int64
    public var deleteAt: Int64
    public var displayName: String
    public var name: String
    public var description: String
    public var email: String
    public var type: String

    public init(id: String, createAt: Int64, displayName: String, name: String) {
        self.id = id
        self.createAt = createAt
        self.updateAt = createAt
        self.deleteAt = 0
        self.displayName = displayName
        self.name = name
        self.description = ""
        self.email = ""
        self.type = "O"
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, email, type
        case createAt = "create_at", updateAt = "update_at", deleteAt = "delete_at", displayName = "display_name"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName) ?? name
        createAt = try c.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
        updateAt = try c.decodeIfPresent(Int64.self, forKey: .updateAt) ?? 0
        deleteAt = try c.decodeIfPresent(Int64.self, forKey: .deleteAt) ?? 0
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        email = try c.decodeIfPresent(String.self, forKey: .email) ?? ""
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? "O"
    }
}

public struct Channel: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var createAt: Int64
    public var updateAt: Int64
    public var deleteAt: Int64
    public var teamID: String
    public var type: String
    public var displayName: String
    public var name: String
    public var header: String
    public var purpose: String
    public var lastPostAt: Int64
    public var totalMsgCount: Int64
    public var creatorID: String

    public init(id: String, createAt: Int64, teamID: String, displayName: String, name: String) {
        self.id = id
        self.createAt = createAt
        self.updateAt = createAt
        self.deleteAt = 0
        self.teamID = teamID
        self.type = "O"
        self.displayName = displayName
        self.name = name
        self.header = ""
        self.purpose = ""
        self.lastPostAt = 0
        self.totalMsgCount = 0
        self.creatorID = ""
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name, header, purpose
        case createAt = "create_at", updateAt = "update_at", deleteAt = "delete_at", teamID = "team_id"
        case displayName = "display_name", lastPostAt = "last_post_at", totalMsgCount = "total_msg_count"
        case creatorID = "creator_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName) ?? name
        teamID = try c.decodeIfPresent(String.self, forKey: .teamID) ?? ""
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? "O"
        createAt = try c.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
        updateAt = try c.decodeIfPresent(Int64.self, forKey: .updateAt) ?? 0
        deleteAt = try c.decodeIfPresent(Int64.self, forKey: .deleteAt) ?? 0
        header = try c.decodeIfPresent(String.self, forKey: .header) ?? ""
        purpose = try c.decodeIfPresent(String.self, forKey: .purpose) ?? ""
        lastPostAt = try c.decodeIfPresent(Int64.self, forKey: .lastPostAt) ?? 0
        totalMsgCount = try c.decodeIfPresent(Int64.self, forKey: .totalMsgCount) ?? 0
        creatorID = try c.decodeIfPresent(String.self, forKey: .creatorID) ?? ""
    }
}

public struct Post: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var createAt: Int64
    public var updateAt: Int64
    public var editAt: Int64
    public var deleteAt: Int64
    public var userID: String
    public var channelID: String
    public var rootID: String
    public var message: String
    public var type: String
    public var pendingPostID: String

    public init(id: String = "", createAt: Int64 = 0, userID: String = "", channelID: String, message: String,
                pendingPostID: String = "") {
        self.id = id
        self.createAt = createAt
        self.updateAt = createAt
        self.editAt = 0
        self.deleteAt = 0
        self.userID = userID
        self.channelID = channelID
        self.rootID = ""
        self.message = message
        self.type = ""
        self.pendingPostID = pendingPostID
    }

    enum CodingKeys: String, CodingKey {
        case id, message, type
        case createAt = "create_at", updateAt = "update_at", editAt = "edit_at", deleteAt = "delete_at"
        case userID = "user_id", channelID = "channel_id", rootID = "root_id", pendingPostID = "pending_post_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        channelID = try c.decode(String.self, forKey: .channelID)
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
        createAt = try c.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
        updateAt = try c.decodeIfPresent(Int64.self, forKey: .updateAt) ?? 0
        editAt = try c.decodeIfPresent(Int64.self, forKey: .editAt) ?? 0
        deleteAt = try c.decodeIfPresent(Int64.self, forKey: .deleteAt) ?? 0
        userID = try c.decodeIfPresent(String.self, forKey: .userID) ?? ""
        rootID = try c.decodeIfPresent(String.self, forKey: .rootID) ?? ""
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        pendingPostID = try c.decodeIfPresent(String.self, forKey: .pendingPostID) ?? ""
    }
}

/// `GET /channels/{id}/posts` answers posts keyed by id plus their order, newest first.
public struct PostList: Codable, Hashable, Sendable {
    public var order: [String]
    public var posts: [String: Post]
    public var nextPostID: String
    public var prevPostID: String

    public init(order: [String], posts: [String: Post]) {
        self.order = order
        self.posts = posts
        self.nextPostID = ""
        self.prevPostID = ""
    }

    /// Oldest first, the order a channel screen shows them.
    public var chronological: [Post] { order.reversed().compactMap { posts[$0] } }

    enum CodingKeys: String, CodingKey {
        case order, posts
        case nextPostID = "next_post_id", prevPostID = "prev_post_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        order = try c.decodeIfPresent([String].self, forKey: .order) ?? []
        posts = try c.decodeIfPresent([String: Post].self, forKey: .posts) ?? [:]
        nextPostID = try c.decodeIfPresent(String.self, forKey: .nextPostID) ?? ""
        prevPostID = try c.decodeIfPresent(String.self, forKey: .prevPostID) ?? ""
    }
}
