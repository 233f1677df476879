/// Request bodies of the calls mmsim makes or serves.
public struct LoginRequest: Codable, Sendable {
    public var loginID: String
    public var password: String
    public var deviceID: String?
    public var token: String?

    public init(loginID: String, password: String, deviceID: String? = nil) {
        self.loginID = loginID
        self.password = password
        self.deviceID = deviceID
    }

    enum CodingKeys: String, CodingKey {
        case password, token
        case loginID = "login_id", deviceID = "device_id"
    }

    /// Mattermost reads the body as a string map: a missing field is "" (a missing password is then "blank").
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        loginID = try c.decodeIfPresent(String.self, forKey: .loginID) ?? ""
        password = try c.decodeIfPresent(String.self, forKey: .password) ?? ""
        deviceID = try c.decodeIfPresent(String.self, forKey: .deviceID)
        token = try c.decodeIfPresent(String.self, forKey: .token)
    }
}

public struct RevokeSessionRequest: Codable, Sendable {
    public var sessionID: String
    public init(sessionID: String) { self.sessionID = sessionID }
    enum CodingKeys: String, CodingKey { case sessionID = "session_id" }
}

public struct UpdateActiveRequest: Codable, Sendable {
    public var active: Bool
    public init(active: Bool) { self.active = active }
}

public struct CreatePostRequest: Codable, Sendable {
    public var channelID: String
    public var message: String
    public var pendingPostID: String?
    public var rootID: String?

    public init(channelID: String, message: String, pendingPostID: String? = nil) {
        self.channelID = channelID
        self.message = message
        self.pendingPostID = pendingPostID
    }

    enum CodingKeys: String, CodingKey {
        case message
        case channelID = "channel_id", pendingPostID = "pending_post_id", rootID = "root_id"
    }
}

/// `PUT /users/{user_id}/password`. An admin resetting someone else's password sends only `new_password`;
/// people changing their own must also send `current_password`. Missing fields decode as empty, as
/// Mattermost's `model.MapFromJSON` reads them.
public struct UpdatePasswordRequest: Codable, Sendable {
    public var currentPassword: String?
    public var newPassword: String?

    public init(newPassword: String, currentPassword: String? = nil) {
        self.newPassword = newPassword
        self.currentPassword = currentPassword
    }

    enum CodingKeys: String, CodingKey {
        case currentPassword = "current_password", newPassword = "new_password"
    }
}

/// `POST /api/v4/users/search` (model/user_search.go `UserSearch`): the fields a System Console search sends.
public struct UserSearchRequest: Codable, Sendable {
    /// `UserSearchDefaultLimit` and `UserSearchMaxLimit`.
    public static let defaultLimit = 100
    public static let maxLimit = 1000

    public var term: String
    public var limit: Int
    public var allowInactive: Bool

    public init(term: String, limit: Int = 0, allowInactive: Bool = false) {
        self.term = term
        self.limit = limit
        self.allowInactive = allowInactive
    }

    enum CodingKeys: String, CodingKey {
        case term, limit
        case allowInactive = "allow_inactive"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        term = try c.decodeIfPresent(String.self, forKey: .term) ?? ""
        limit = try c.decodeIfPresent(Int.self, forKey: .limit) ?? 0
        allowInactive = try c.decodeIfPresent(Bool.self, forKey: .allowInactive) ?? false
    }
}
