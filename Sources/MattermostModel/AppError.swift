/// Mattermost's error body, sent with every 4xx and 5xx.
public struct AppError: Codable, Error, Hashable, Sendable {
    public var id: String
    public var message: String
    public var detailedError: String
    public var requestID: String
    public var statusCode: Int

    public init(id: String, message: String, detailedError: String = "", requestID: String = "", statusCode: Int) {
        self.id = id
        self.message = message
        self.detailedError = detailedError
        self.requestID = requestID
        self.statusCode = statusCode
    }

    enum CodingKeys: String, CodingKey {
        case id, message
        case detailedError = "detailed_error"
        case requestID = "request_id"
        case statusCode = "status_code"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
        detailedError = try c.decodeIfPresent(String.self, forKey: .detailedError) ?? ""
        requestID = try c.decodeIfPresent(String.self, forKey: .requestID) ?? ""
        statusCode = try c.decodeIfPresent(Int.self, forKey: .statusCode) ?? 0
    }
}

/// The error ids and wording that MM-T941 touches, as Mattermost's server sends them.
public enum ErrorID {
    public static let sessionExpired = "api.context.session_expired.app_error"
    public static let sessionExpiredMessage = "Invalid or expired session, please login again."
    public static let permissions = "api.context.permissions.app_error"
    public static let permissionsMessage = "You do not have the appropriate permissions."
    public static let invalidCredentials = "api.user.login.invalid_credentials_email_username"
    public static let invalidCredentialsMessage = "Enter a valid email or username and/or password."
    public static let inactive = "api.user.login.inactive.app_error"
    public static let inactiveMessage = "Login failed because your account has been deactivated. Please contact an administrator."
    public static let invalidParam = "api.context.invalid_body_param.app_error"
    public static let invalidURLParam = "api.context.invalid_url_param.app_error"
    public static let notFound = "api.context.404.app_error"
    public static let notFoundMessage = "Sorry, we could not find the page."
    public static let tooLarge = "api.context.request_body_too_large.app_error"
    public static let wsNotAuthenticated = "api.web_socket_router.not_authenticated.app_error"
    public static let userNotFound = "app.user.missing_account.const"
    public static let channelNotFound = "app.channel.get.existing.app_error"
    public static let sessionNotFound = "app.session.get.app_error"
    public static let methodNotAllowed = "api.context.method_not_allowed.app_error"
    public static let internalError = "api.context.internal_error.app_error"
    public static let wsBadAction = "api.web_socket_router.bad_action.app_error"
}

/// `{"status":"OK"}`
public struct StatusOK: Codable, Hashable, Sendable {
    public var status: String
    public init(status: String = "OK") { self.status = status }
}
