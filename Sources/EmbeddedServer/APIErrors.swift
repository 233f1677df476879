import MattermostModel

/// The AppErrors the server answers with, worded as Mattermost words them.
enum APIErrors {
    static var sessionExpired: AppError {
        AppError(id: ErrorID.sessionExpired, message: ErrorID.sessionExpiredMessage, statusCode: 401)
    }

    static var forbidden: AppError {
        AppError(id: ErrorID.permissions, message: ErrorID.permissionsMessage, statusCode: 403)
    }

    static var invalidCredentials: AppError {
        AppError(id: ErrorID.invalidCredentials, message: ErrorID.invalidCredentialsMessage, statusCode: 401)
    }

    static var inactive: AppError {
        AppError(id: ErrorID.inactive, message: ErrorID.inactiveMessage, statusCode: 401)
    }

    static func invalidBodyParam(_ name: String, detail: String = "") -> AppError {
        AppError(id: ErrorID.invalidParam, message: "Invalid or missing \(name) in request body.",
                 detailedError: detail, statusCode: 400)
    }

    static func invalidURLParam(_ name: String) -> AppError {
        AppError(id: ErrorID.invalidURLParam, message: "Invalid or missing \(name) parameter in request URL.",
                 statusCode: 400)
    }

    static func notFound(path: String) -> AppError {
        AppError(id: ErrorID.notFound, message: ErrorID.notFoundMessage,
                 detailedError: "There doesn't appear to be an api call for the url='\(path)'.", statusCode: 404)
    }

    static var userNotFound: AppError {
        AppError(id: ErrorID.userNotFound, message: "Unable to find an existing account matching your credentials.",
                 statusCode: 404)
    }

    static var channelNotFound: AppError {
        AppError(id: ErrorID.channelNotFound, message: "Unable to find the existing channel.", statusCode: 404)
    }

    static var sessionNotFound: AppError {
        AppError(id: ErrorID.sessionNotFound, message: "Unable to get the session.", statusCode: 400)
    }

    static func tooLarge(limit: Int) -> AppError {
        AppError(id: ErrorID.tooLarge, message: "The request body is too large.",
                 detailedError: "limit is \(limit) bytes", statusCode: 413)
    }

    static func methodNotAllowed(path: String) -> AppError {
        AppError(id: ErrorID.methodNotAllowed, message: "The method is not allowed for this url.",
                 detailedError: "url='\(path)'", statusCode: 405)
    }

    /// Mattermost's `checkUserLoginAttempts` (app/authentication.go): 401 once FailedAttempts >= MaximumLoginAttempts.
    static var tooManyLoginAttempts: AppError {
        AppError(id: "api.user.check_user_login_attempts.too_many.app_error",
                 message: "Your account is locked because of too many failed password attempts. Please reset your password.",
                 statusCode: 401)
    }

    /// app/post.go CreatePost: the root post does not exist, or is a reply itself.
    static var invalidRootID: AppError {
        AppError(id: "api.post.create_post.root_id.app_error", message: "Invalid RootId parameter.", statusCode: 400)
    }

    /// app/post.go CreatePost: the root is in another channel (made at 500, lowered to 400 by CreatePostAsUser).
    static var rootInAnotherChannel: AppError {
        AppError(id: "api.post.create_post.channel_root_id.app_error", message: "Invalid ChannelId for RootId parameter.",
                 statusCode: 400)
    }

    /// `Post.IsValid` (model/post.go): more runes than the server's maximum post size.
    static var messageTooLong: AppError {
        AppError(id: "model.post.is_valid.message_length.app_error",
                 message: "Post Message property is longer than the maximum permitted length.",
                 statusCode: 400)
    }

    /// A request NIO's HTTP parser refuses (Go's net/http answers those with a bare 400; here it is an AppError
    /// like every other client error), worded as Mattermost's `SetInvalidParam`.
    static var unparsableRequest: AppError {
        AppError(id: "api.context.invalid_param.app_error", message: "Invalid request parameter.", statusCode: 400)
    }

    static var internalError: AppError {
        AppError(id: ErrorID.internalError, message: "An internal error occurred.", statusCode: 500)
    }
}
