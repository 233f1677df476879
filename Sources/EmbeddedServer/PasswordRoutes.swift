import Hummingbird
import MattermostModel

/// `PUT /api/v4/users/{user_id}/password`, as Mattermost's `updatePassword` (api4/user.go) answers it.
/// System Console › Users › Reset password calls it without `current_password`; since the store's update also
/// zeroes the failed attempts, it is how an admin clears a login lockout.
extension API {
    /// Mattermost's `PasswordSettings.MinimumLength` default (model/config.go) and `PasswordMaximumLength`
    /// (bcrypt reads at most 72 bytes).
    static let passwordMinimumLength = 8
    static let passwordMaximumLength = Passwords.maximumBytes

    func registerPasswordRoutes(on session: RouterGroup<SessionContext>) {
        session.put(RouterPath(APIPath.password(Route.param(Route.userID)))) { request, context in
            let caller = context.caller
            let userID = try HTTP.id(Route.userID, in: context, me: caller.userID)
            let body = try await self.body(UpdatePasswordRequest.self, request, param: "new_password")
            let newPassword = body.newPassword ?? ""
            if userID == caller.userID {
                try await changeOwnPassword(caller, current: body.currentPassword ?? "", new: newPassword)
            } else if caller.isSystemAdmin, let user = try await store.user(id: userID) {
                try await setPassword(of: user, to: newPassword, keepingSession: nil)
                logger.notice("password reset by an admin", metadata: ["user": "\(user.id)", "by": "\(caller.userID)"])
            } else {
                // Mattermost decides "may update" from the target user; an unknown user (GetUser fails) or a
                // caller without the permission both land here: 403, never 404.
                throw PasswordErrors.notAllowed
            }
            return try HTTP.statusOK
        }
    }

    /// `UpdatePasswordAsUser` → `DoubleCheckPassword`: a locked account cannot change its password either,
    /// and a wrong current password counts as a failed attempt.
    private func changeOwnPassword(_ caller: Caller, current: String, new: String) async throws {
        guard !current.isEmpty else { throw APIErrors.invalidBodyParam("current_password") }
        // One check at a time per user, on a fresh row, as at login: concurrent wrong guesses cannot outrun the count.
        let user = try await store.withPasswordCheck(userID: caller.userID) { user, _ in
            guard let user else { throw APIErrors.sessionExpired }
            guard user.failedAttempts < config.maximumLoginAttempts else { throw APIErrors.tooManyLoginAttempts }
            guard Passwords.verify(current, hash: user.passwordHash) else {
                try await store.recordFailedAttempt(userID: user.id)
                throw PasswordErrors.incorrectCurrent
            }
            return user
        }
        try await store.clearFailedAttempts(userID: user.id)
        try await setPassword(of: user, to: new, keepingSession: caller.session.id)
        logger.notice("password changed by its owner", metadata: ["user": "\(caller.userID)"])
    }

    /// `App.UpdatePassword` (app/user.go): validate, hash, store; then, if `TerminateSessionsOnPasswordChange` (true
    /// on a new install), revoke every session of the user but the caller's own.
    private func setPassword(of user: StoredUser, to password: String, keepingSession kept: String?) async throws {
        try Self.validate(password)
        let hash = Passwords.hash(password, cost: config.effectiveBcryptCost)
        try await store.updatePassword(userID: user.id, hash: hash, now: now)
        if config.terminateSessionsOnPasswordChange { try await store.deleteSessions(userID: user.id, except: kept) }
    }

    /// `IsPasswordValidWithSettings` with the default settings: length only (no character classes required).
    static func validate(_ password: String) throws {
        if password.utf8.count < passwordMinimumLength { throw PasswordErrors.tooShort }
        if password.utf8.count > passwordMaximumLength { throw PasswordErrors.tooLong }
        if password.utf8.contains(0) { throw PasswordErrors.containsNUL }
    }
}

/// The AppErrors of a password change, with Mattermost's ids and statuses.
enum PasswordErrors {
    static var notAllowed: AppError {
        AppError(id: "api.user.update_password.context.app_error",
                 message: "Update password failed because context user_id did not match props user_id.", statusCode: 403)
    }

    static var incorrectCurrent: AppError {
        AppError(id: "api.user.update_password.incorrect.app_error",
                 message: "The \"Current Password\" you entered is incorrect. Please check that Caps Lock is off and try again.",
                 statusCode: 400)
    }

    static var tooShort: AppError {
        AppError(id: "model.user.is_valid.pwd_min_length.app_error",
                 message: "Your password must contain at least \(API.passwordMinimumLength) characters.", statusCode: 400)
    }

    /// Go's bcrypt would store it; this one stops at the NUL, so refuse what could not be checked faithfully.
    static var containsNUL: AppError {
        APIErrors.invalidBodyParam("new_password", detail: "the password contains a NUL character")
    }

    static var tooLong: AppError {
        AppError(id: "model.user.is_valid.pwd_max_length.app_error",
                 message: "Your password must contain no more than \(API.passwordMaximumLength) characters.", statusCode: 400)
    }
}
