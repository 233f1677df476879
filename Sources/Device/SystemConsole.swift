import Foundation
import Logging
import MattermostClient
import MattermostModel

/// The admin's browser on System Console › Users: signs in over the same REST API a real admin uses,
/// lists users with their session counts, and revokes. The password is held only to sign back in
/// after "Revoke All Sessions" ends the console's own session (embedded mode).
public actor SystemConsole {
    public struct UserRow: Sendable, Equatable {
        public var user: User
        public var sessionCount: Int
    }

    public struct State: Sendable, Equatable {
        public var username: String
        public var signedIn = false
        public var users: [UserRow] = []
        public var status = ""
        public var log: [Timeline.Entry] = []
    }

    public private(set) var state: State
    let api: MattermostAPI
    let clock: SimClock
    let password: String?
    let autoSignIn: Bool
    var token: String?
    /// Signed out for good: nothing signs it in again (a refresh still in flight would, after its 401).
    var closed = false
    var observers: [@Sendable (State) -> Void] = []

    /// - Parameter autoSignIn: sign back in by itself after the console's own session is revoked.
    public init(api: MattermostAPI, clock: SimClock, username: String, password: String?, autoSignIn: Bool = true) {
        self.api = api
        self.clock = clock
        self.password = password
        self.autoSignIn = autoSignIn
        self.state = State(username: username)
    }

    public func observe(_ onChange: @escaping @Sendable (State) -> Void) {
        observers.append(onChange)
        onChange(state)
    }

    func changed() { for observer in observers { observer(state) } }

    func note(_ text: String) {
        state.log.append(.init(at: clock.nowMillis, kind: .decision, text: text))
        if state.log.count > 200 { state.log.removeFirst(state.log.count - 200) }
        state.status = text
        changed()
    }

    @discardableResult
    public func signIn() async -> Bool {
        guard !closed else { return false }
        guard let password else {
            note("sign-in needs the admin password")
            return false
        }
        do throws(ClientError) {
            let result = try await api.login(loginID: state.username, password: password, deviceID: nil)
            token = result.token
            state.signedIn = true
            note("signed in as \(state.username)")
            await refresh()
            return true
        } catch {
            state.signedIn = false
            note("sign-in as \(state.username) failed: \(error)")
            return false
        }
    }

    /// POST /users/logout, for good: a tool that signs in at every start must not leave a session per start.
    public func signOut() async {
        closed = true
        guard let token else { return }
        self.token = nil
        state.signedIn = false
        do throws(ClientError) { try await api.logout(token: token) } catch {}
    }

    /// Reloads users and their session counts.
    public func refresh() async {
        guard let token else { return }
        do throws(ClientError) {
            let users = try await api.users(token: token)
            var rows: [UserRow] = []
            for user in users {
                let count = (try? await api.sessions(token: token, userID: user.id).count) ?? 0
                rows.append(UserRow(user: user, sessionCount: count))
            }
            let sorted = rows.sorted { $0.user.username < $1.user.username }
            // A timer refreshes too: observers hear of a change, not of every poll.
            guard sorted != state.users else { return }
            state.users = sorted
            changed()
        } catch {
            await handle(error, doing: "refresh")
        }
    }

    /// Refreshes on a timer while signed in, as the browser's System Console polls, so that what others do on
    /// the server (a login by curl, a revoke in the browser) shows without a key press. One refresh is a request
    /// per user: the pause grows with the list, so a real server with many users gets a few requests a second.
    /// Runs until the calling task is cancelled.
    public func keepFresh(every base: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            let pause = base * max(1, state.users.count / 10)
            do { try await Task.sleep(for: pause) } catch { return }
            if token != nil { await refresh() }
        }
    }

    /// System Console › Users › Revoke All Sessions, confirmed. Ends the console's own session too.
    @discardableResult
    public func revokeAllSessions() async -> Bool {
        await act("Revoke All Sessions") { api, token throws(ClientError) in try await api.revokeAllSessionsInSystem(token: token) }
    }

    @discardableResult
    public func revokeSessions(ofUser userID: String) async -> Bool {
        let name = username(ofUser: userID)
        return await act("revoke all sessions of \(name)") { api, token throws(ClientError) in
            try await api.revokeAllSessions(token: token, userID: userID)
        }
    }

    /// Revokes the one session a phone holds, found by its device id.
    @discardableResult
    public func revokeSession(ofUser userID: String, deviceID: String) async -> Bool {
        await act("revoke the session of device \(deviceID)") { api, token throws(ClientError) in
            let sessions = try await api.sessions(token: token, userID: userID)
            guard let session = sessions.first(where: { $0.deviceID == deviceID }) else {
                throw .rejected(status: 404, AppError(id: "mmsim.console.no_session", message: "no session for that device", statusCode: 404))
            }
            try await api.revokeSession(token: token, userID: userID, sessionID: session.id)
        }
    }

    @discardableResult
    public func setActive(userID: String, active: Bool) async -> Bool {
        await act(active ? "activate user" : "deactivate user") { api, token throws(ClientError) in
            try await api.setActive(token: token, userID: userID, active: active)
        }
    }

    /// System Console › Users › Reset password: sets a new password, which also clears a login lockout and
    /// ends that user's sessions (Mattermost's TerminateSessionsOnPasswordChange). The note names the user only.
    @discardableResult
    public func resetPassword(ofUser userID: String, newPassword: String) async -> Bool {
        let name = username(ofUser: userID)
        return await act("reset the password of \(name)") { api, token throws(ClientError) in
            try await api.resetPassword(token: token, userID: userID, newPassword: newPassword)
        }
    }

    /// For notes: the user's name, or the id when the list does not have it.
    func username(ofUser userID: String) -> String {
        state.users.first { $0.user.id == userID }?.user.username ?? userID
    }

    public func userID(forUsername username: String) -> String? {
        state.users.first { $0.user.username == username }?.user.id
    }

    func act(_ what: String, _ body: @Sendable (MattermostAPI, String) async throws(ClientError) -> Void) async -> Bool {
        if token == nil, !(await signIn()) { return false }
        guard let token else { return false }
        do throws(ClientError) {
            try await body(api, token)
            note("\(what): done")
            await refresh()
            return true
        } catch {
            await handle(error, doing: what)
            return false
        }
    }

    func handle(_ error: ClientError, doing what: String) async {
        if case .unauthorized = error {
            // Revoke All Sessions ends the admin's own session as well, as in Mattermost.
            token = nil
            state.signedIn = false
            // Signed out, the console knows nothing current: no session counts from before.
            state.users = []
            note("the console's own session has ended (\(what))")
            if autoSignIn, password != nil { await signIn() }
            return
        }
        note("\(what) failed: \(error)")
    }
}
