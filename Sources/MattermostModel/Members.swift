/// The shapes of the calls the mobile app makes on entry and reconnect (mattermost-mobile
/// `app/actions/remote/entry/common.ts` entryRest, `app/actions/remote/channel.ts` markChannelAsRead), with
/// Mattermost's JSON field names (server `model/team_member.go`, `model/channel_member.go`, `model/preference.go`,
/// `model/channel_view.go`).

/// `GET /config/client?format=old`: a flat map of strings. The few keys a client reads have accessors.
public struct ClientConfig: Codable, Hashable, Sendable {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    public init(from decoder: Decoder) throws { values = try decoder.singleValueContainer().decode([String: String].self) }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    public subscript(key: String) -> String? { values[key] }
    public var version: String? { values["Version"] }
    public var enableReliableWebSockets: Bool { values["EnableReliableWebSockets"] == "true" }
    public var siteURL: String? { values["SiteURL"] }
    public var diagnosticID: String? { values["DiagnosticId"] }
}

/// `GET /license/client?format=old`: also a flat map; an unlicensed server says `{"IsLicensed":"false"}`.
public struct ClientLicense: Codable, Hashable, Sendable {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    public init(from decoder: Decoder) throws { values = try decoder.singleValueContainer().decode([String: String].self) }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    public var isLicensed: Bool { values["IsLicensed"] == "true" }
}

public struct Preference: Codable, Hashable, Sendable {
    public var userID: String
    public var category: String
    public var name: String
    public var value: String

    public init(userID: String, category: String, name: String, value: String) {
        self.userID = userID
        self.category = category
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case category, name, value
        case userID = "user_id"
    }
}

public struct TeamMember: Codable, Hashable, Sendable {
    public var teamID: String
    public var userID: String
    public var roles: String
    public var deleteAt: Int64
    public var schemeGuest: Bool
    public var schemeUser: Bool
    public var schemeAdmin: Bool
    public var explicitRoles: String
    public var createAt: Int64

    public init(teamID: String, userID: String, roles: String = "team_user", createAt: Int64 = 0) {
        self.teamID = teamID
        self.userID = userID
        self.roles = roles
        self.deleteAt = 0
        self.schemeGuest = false
        self.schemeUser = true
        self.schemeAdmin = false
        self.explicitRoles = ""
        self.createAt = createAt
    }

    enum CodingKeys: String, CodingKey {
        case roles
        case teamID = "team_id", userID = "user_id", deleteAt = "delete_at", schemeGuest = "scheme_guest"
        case schemeUser = "scheme_user", schemeAdmin = "scheme_admin", explicitRoles = "explicit_roles"
        case createAt = "create_at"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        teamID = try c.decode(String.self, forKey: .teamID)
        userID = try c.decode(String.self, forKey: .userID)
        roles = try c.decodeIfPresent(String.self, forKey: .roles) ?? ""
        deleteAt = try c.decodeIfPresent(Int64.self, forKey: .deleteAt) ?? 0
        schemeGuest = try c.decodeIfPresent(Bool.self, forKey: .schemeGuest) ?? false
        schemeUser = try c.decodeIfPresent(Bool.self, forKey: .schemeUser) ?? false
        schemeAdmin = try c.decodeIfPresent(Bool.self, forKey: .schemeAdmin) ?? false
        explicitRoles = try c.decodeIfPresent(String.self, forKey: .explicitRoles) ?? ""
        createAt = try c.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
    }
}

public struct ChannelMember: Codable, Hashable, Sendable {
    public var channelID: String
    public var userID: String
    public var roles: String
    public var lastViewedAt: Int64
    public var msgCount: Int64
    public var mentionCount: Int64
    public var notifyProps: [String: String]
    public var lastUpdateAt: Int64
    public var schemeGuest: Bool
    public var schemeUser: Bool
    public var schemeAdmin: Bool
    public var explicitRoles: String

    /// Mattermost's defaults for a new member (`GetDefaultChannelNotifyProps`).
    public static let defaultNotifyProps = [
        "desktop": "default", "email": "default", "mark_unread": "all", "push": "default",
        "ignore_channel_mentions": "default",
    ]

    public init(channelID: String, userID: String, lastViewedAt: Int64 = 0, msgCount: Int64 = 0,
                lastUpdateAt: Int64 = 0) {
        self.channelID = channelID
        self.userID = userID
        self.roles = "channel_user"
        self.lastViewedAt = lastViewedAt
        self.msgCount = msgCount
        self.mentionCount = 0
        self.notifyProps = Self.defaultNotifyProps
        self.lastUpdateAt = lastUpdateAt
        self.schemeGuest = false
        self.schemeUser = true
        self.schemeAdmin = false
        self.explicitRoles = ""
    }

    enum CodingKeys: String, CodingKey {
        case roles
        case channelID = "channel_id", userID = "user_id", lastViewedAt = "last_viewed_at", msgCount = "msg_count"
        case mentionCount = "mention_count", notifyProps = "notify_props", lastUpdateAt = "last_update_at"
        case schemeGuest = "scheme_guest", schemeUser = "scheme_user", schemeAdmin = "scheme_admin"
        case explicitRoles = "explicit_roles"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channelID = try c.decode(String.self, forKey: .channelID)
        userID = try c.decode(String.self, forKey: .userID)
        roles = try c.decodeIfPresent(String.self, forKey: .roles) ?? ""
        lastViewedAt = try c.decodeIfPresent(Int64.self, forKey: .lastViewedAt) ?? 0
        msgCount = try c.decodeIfPresent(Int64.self, forKey: .msgCount) ?? 0
        mentionCount = try c.decodeIfPresent(Int64.self, forKey: .mentionCount) ?? 0
        notifyProps = (try? c.decodeIfPresent([String: String].self, forKey: .notifyProps)) ?? [:]
        lastUpdateAt = try c.decodeIfPresent(Int64.self, forKey: .lastUpdateAt) ?? 0
        schemeGuest = try c.decodeIfPresent(Bool.self, forKey: .schemeGuest) ?? false
        schemeUser = try c.decodeIfPresent(Bool.self, forKey: .schemeUser) ?? false
        schemeAdmin = try c.decodeIfPresent(Bool.self, forKey: .schemeAdmin) ?? false
        explicitRoles = try c.decodeIfPresent(String.self, forKey: .explicitRoles) ?? ""
    }
}

/// `POST /channels/members/{user_id}/view` body, as the mobile app sends it.
public struct ChannelViewRequest: Codable, Hashable, Sendable {
    public var channelID: String
    public var prevChannelID: String
    public var collapsedThreadsSupported: Bool

    public init(channelID: String, prevChannelID: String = "", collapsedThreadsSupported: Bool = true) {
        self.channelID = channelID
        self.prevChannelID = prevChannelID
        self.collapsedThreadsSupported = collapsedThreadsSupported
    }

    enum CodingKeys: String, CodingKey {
        case channelID = "channel_id", prevChannelID = "prev_channel_id"
        case collapsedThreadsSupported = "collapsed_threads_supported"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channelID = try c.decodeIfPresent(String.self, forKey: .channelID) ?? ""
        prevChannelID = try c.decodeIfPresent(String.self, forKey: .prevChannelID) ?? ""
        collapsedThreadsSupported = try c.decodeIfPresent(Bool.self, forKey: .collapsedThreadsSupported) ?? false
    }
}

/// Its answer: `{"status":"OK","last_viewed_at_times":{channel_id: millis}}`.
public struct ChannelViewResponse: Codable, Hashable, Sendable {
    public var status: String
    public var lastViewedAtTimes: [String: Int64]

    public init(status: String = "OK", lastViewedAtTimes: [String: Int64]) {
        self.status = status
        self.lastViewedAtTimes = lastViewedAtTimes
    }

    enum CodingKeys: String, CodingKey {
        case status
        case lastViewedAtTimes = "last_viewed_at_times"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(String.self, forKey: .status)
        lastViewedAtTimes = try c.decodeIfPresent([String: Int64].self, forKey: .lastViewedAtTimes) ?? [:]
    }
}
