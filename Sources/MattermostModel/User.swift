/// A Mattermost user as the API sends it: never a password or auth data.
public struct User: Codable, Hashable, Sendable, Identifiable {
    public var id: String
    public var createAt: Int64
    public var updateAt: Int64
    public var deleteAt: Int64
    public var username: String
    public var authService: String
    public var email: String
    public var emailVerified: Bool
    public var nickname: String
    public var firstName: String
    public var lastName: String
    public var position: String
    public var roles: String
    public var locale: String
    public var timezone: [String: String]
    public var props: [String: String]
    public var notifyProps: [String: String]
    public var lastPasswordUpdate: Int64
    public var failedAttempts: Int
    public var mfaActive: Bool
    public var isBot: Bool

    public init(id: String, createAt: Int64, username: String, email: String, roles: String,
                firstName: String = "", lastName: String = "", nickname: String = "") {
        self.id = id
        self.createAt = createAt
        self.updateAt = createAt
        self.deleteAt = 0
        self.username = username
        self.authService = ""
        self.email = email
        self.emailVerified = true
        self.nickname = nickname
        self.firstName = firstName
        self.lastName = lastName
        self.position = ""
        self.roles = roles
        self.locale = "en"
        self.timezone = ["automaticTimezone": "", "manualTimezone": "", "useAutomaticTimezone": "true"]
        self.props = [:]
        self.notifyProps = ["desktop": "mention", "email": "true", "push": "mention", "channel": "true"]
        self.lastPasswordUpdate = createAt
        self.failedAttempts = 0
        self.mfaActive = false
        self.isBot = false
    }

    public var isSystemAdmin: Bool { roles.split(separator: " ").contains("system_admin") }
    public var isActive: Bool { deleteAt == 0 }

    enum CodingKeys: String, CodingKey {
        case id, username, email, nickname, position, roles, locale, timezone, props
        case createAt = "create_at", updateAt = "update_at", deleteAt = "delete_at"
        case authService = "auth_service", emailVerified = "email_verified"
        case firstName = "first_name", lastName = "last_name", notifyProps = "notify_props"
        case lastPasswordUpdate = "last_password_update", failedAttempts = "failed_attempts"
        case mfaActive = "mfa_active", isBot = "is_bot"
    }

    /// Lenient decoding: a real server omits empty fields, and we only insist on what identifies a user.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        username = try c.decode(String.self, forKey: .username)
        createAt = try c.decodeIfPresent(Int64.self, forKey: .createAt) ?? 0
        updateAt = try c.decodeIfPresent(Int64.self, forKey: .updateAt) ?? 0
        deleteAt = try c.decodeIfPresent(Int64.self, forKey: .deleteAt) ?? 0
        authService = try c.decodeIfPresent(String.self, forKey: .authService) ?? ""
        email = try c.decodeIfPresent(String.self, forKey: .email) ?? ""
        emailVerified = try c.decodeIfPresent(Bool.self, forKey: .emailVerified) ?? false
        nickname = try c.decodeIfPresent(String.self, forKey: .nickname) ?? ""
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName) ?? ""
        lastName = try c.decodeIfPresent(String.self, forKey: .lastName) ?? ""
        position = try c.decodeIfPresent(String.self, forKey: .position) ?? ""
        roles = try c.decodeIfPresent(String.self, forKey: .roles) ?? ""
        locale = try c.decodeIfPresent(String.self, forKey: .locale) ?? ""
        timezone = (try? c.decodeIfPresent([String: String].self, forKey: .timezone)) ?? [:]
        props = (try? c.decodeIfPresent([String: String].self, forKey: .props)) ?? [:]
        notifyProps = (try? c.decodeIfPresent([String: String].self, forKey: .notifyProps)) ?? [:]
        lastPasswordUpdate = try c.decodeIfPresent(Int64.self, forKey: .lastPasswordUpdate) ?? 0
        failedAttempts = try c.decodeIfPresent(Int.self, forKey: .failedAttempts) ?? 0
        mfaActive = try c.decodeIfPresent(Bool.self, forKey: .mfaActive) ?? false
        isBot = try c.decodeIfPresent(Bool.self, forKey: .isBot) ?? false
    }
}
