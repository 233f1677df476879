/// A Mattermost session. `token` is blank whenever the server lists sessions.
public struct Session: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var token: String
    public var createAt: Int64
    public var expiresAt: Int64
    public var lastActivityAt: Int64
    public var userID: String
    public var deviceID: String
    public var roles: String
    public var isOAuth: Bool
    public var expiredNotify: Bool
    public var props: [String: String]
    public var teamMembers: [JSONValue]
    public var local: Bool

    public init(id: String, token: String, createAt: Int64, expiresAt: Int64, lastActivityAt: Int64,
                userID: String, deviceID: String, roles: String, props: [String: String] = [:]) {
        self.id = id
        self.token = token
        self.createAt = createAt
        self.expiresAt = expiresAt
        self.lastActivityAt = lastActivityAt
        self.userID = userID
        self.deviceID = deviceID
        self.roles = roles
        self.isOAuth = false
        self.expiredNotify = false
        self.props = props
        self.teamMembers = []
        self.local = false
    }

    /// Mattermost's rule: a session with no expiry never expires.
    public func isExpired(atMillis now: Int64) -> Bool { expiresAt > 0 && now > expiresAt }

    enum CodingKeys: String, CodingKey {
        case id, token, roles, props, local
        case createAt = "create_at", expiresAt = "expires_at", lastActivityAt = "last_activity_at"
        case userID = "user_id", deviceID = "device_id", isOAuth = "is_oauth"
        case expiredNotify = "expired_notify", teamMembers = "team_members"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        token = try c.decodeIfPresent(String.self, forKey: .token) ?? ""
        createAt = try c.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
        expiresAt = try c.decodeIfPresent(Int64.self, forKey: .expiresAt) ?? 0
        lastActivityAt = try c.decodeIfPresent(Int64.self, forKey: .lastActivityAt) ?? 0
        userID = try c.decodeIfPresent(String.self, forKey: .userID) ?? ""
        deviceID = try c.decodeIfPresent(String.self, forKey: .deviceID) ?? ""
        roles = try c.decodeIfPresent(String.self, forKey: .roles) ?? ""
        isOAuth = try c.decodeIfPresent(Bool.self, forKey: .isOAuth) ?? false
        expiredNotify = try c.decodeIfPresent(Bool.self, forKey: .expiredNotify) ?? false
        props = (try? c.decodeIfPresent([String: String].self, forKey: .props)) ?? [:]
        teamMembers = (try? c.decodeIfPresent([JSONValue].self, forKey: .teamMembers)) ?? []
        local = try c.decodeIfPresent(Bool.self, forKey: .local) ?? false
    }
}
