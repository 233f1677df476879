import TerminalUI
import Device
import Foundation
import MattermostClient
import MattermostModel

/// What each step does. Actions end with `settle()`: the step is over when every phone is idle.
extension ScenarioSession {
    func execute(_ step: Step) async throws(StepError) {
        switch step.action {
        case .launch(let d):
            try await device(d).powerOn()
        case .power(let d, let on):
            if on { try await device(d).powerOn() } else { try await device(d).powerOff() }
        case .network(let d, let profile):
            try await device(d).setNetwork(profile)
        case .airplane(let d, let on):
            let phone = try await device(d)
            guard await phone.state.powered else { throw StepError(expected: "\(d) to be powered on", actual: "it is off") }
            await phone.send(.setAirplane(on))
        case .login(let d, let user, let password):
            try await login(d, user: user, password: password)
        case .logout(let d):
            let phone = try await device(d)
            let state = await phone.state
            guard state.isLoggedIn else { throw StepError(expected: "\(d) to be logged in", actual: "screen \(state.screen.name)") }
            await phone.send(.logout)
        case .post(let d, let channelName, let text):
            try await post(d, channelName: channelName, text: text)
        case .background(let d), .foreground(let d):
            let phone = try await device(d)
            guard await phone.state.powered else { throw StepError(expected: "\(d) to be powered on", actual: "it is off") }
            if case .background = step.action { await phone.send(.background) } else { await phone.send(.foreground) }
        case .openChannel(let d, let channelName):
            let (phone, _, channel) = try await loggedInChannel(d, channelName, to: "open a channel")
            await phone.send(.openChannel(channel.id))
        case .revokeAllSessions(let user):
            let console = try await console(for: user)
            try await check(await console.revokeAllSessions(), console, "Revoke All Sessions to succeed")
        case .revokeUserSessions(let admin, let user):
            let console = try await console(for: admin)
            let id = try await userID(user, console)
            try await check(await console.revokeSessions(ofUser: id), console, "the sessions of \(user) to be revoked")
        case .revokeSession(let admin, let d):
            let console = try await console(for: admin)
            let phone = try await device(d)
            let spec = scenario.device(named: d)
            let userID: String
            if let account = await phone.state.account { userID = account.id } else { userID = try await self.userID(spec?.user ?? "", console) }
            try await check(await console.revokeSession(ofUser: userID, deviceID: phone.configuration.deviceID), console,
                            "the session of \(d) to be revoked")
        case .deactivateUser(let admin, let user):
            let console = try await console(for: admin)
            let id = try await userID(user, console)
            try await check(await console.setActive(userID: id, active: false), console, "\(user) to be deactivated")
        case .resetPassword(let admin, let user, let password):
            let console = try await console(for: admin)
            let id = try await userID(user, console)
            try await check(await console.resetPassword(ofUser: id, newPassword: password), console,
                            "the password of \(user) to be reset")
        case .wait(let millis, _):
            await world.pass(millis: millis)
        case .assertScreen(let d, let screen):
            let state = try await device(d).state
            guard state.screen.name == screen else {
                throw StepError(expected: "screen \(screen)", actual: "screen \(state.screen.name)\(state.banner.map { " (banner: \($0.text))" } ?? "")")
            }
        case .assertVisible(let d, let text):
            let shown = try await screenText(d)
            guard shown.contains(text) else { throw StepError(expected: "\"\(text)\" on the screen", actual: "not shown") }
        case .assertNotVisible(let d, let text):
            let shown = try await screenText(d)
            guard !shown.contains(text) else { throw StepError(expected: "no \"\(text)\" on the screen", actual: "it is shown") }
        case .assertTokenCache(let d, let empty):
            let isEmpty = try await device(d).tokenCacheIsEmpty()
            guard isEmpty == empty else {
                throw StepError(expected: "token cache \(empty ? "empty" : "holding a token")",
                                actual: isEmpty ? "empty" : "holds a token")
            }
        case .assertOutbox(let d, let count):
            let phone = try await device(d)
            let state = await phone.state
            let actual = state.powered ? state.outbox.count : await phone.storedOutboxCount()
            guard actual == count else { throw StepError(expected: "\(count) message(s) in the outbox", actual: "\(actual)") }
        case .assertPost(let channel, let text, let by, let reader):
            try await assertPost(channel: channel, text: text, by: by, reader: reader ?? credentials.defaultReader)
        case .snapshot(let d, let name):
            if let snapshotFolder {
                let text = await screenLines(of: try await device(d)).joined(separator: "\n") + "\n"
                do throws(OutputFile.Failure) {
                    try Snapshots.write(text, to: snapshotFolder.appendingPathComponent("\(name).txt"))
                } catch {
                    outputErrors.append("\(error)")
                }
            }
        }
        await simulation.settleThroughDelays()
    }

    func device(_ name: String) async throws(StepError) -> Phone {
        guard let phone = phone(name) else { throw StepError(expected: "device \(name)", actual: "no such device") }
        return phone
    }

    func check(_ ok: Bool, _ console: SystemConsole, _ expected: String) async throws(StepError) {
        guard ok else { throw StepError(expected: expected, actual: scrub(await console.state.status)) }
    }

    func userID(_ username: String, _ console: SystemConsole) async throws(StepError) -> String {
        if let id = await console.userID(forUsername: username) { return id }
        await console.refresh()
        guard let id = await console.userID(forUsername: username) else {
            throw StepError(expected: "a user named \(username) on the server", actual: "no such user")
        }
        return id
    }

    /// Types into the login screen as a person would; whether it worked is for the next assert to say.
    func login(_ d: String, user: String?, password: String?) async throws(StepError) {
        let phone = try await device(d)
        let state = await phone.state
        // The real app's server screen leads to its login screen with "Connect" (Phone.login taps it).
        guard state.screen == .login || state.screen == .server else {
            throw StepError(expected: "\(d) to show the login screen", actual: "screen \(state.screen.name)")
        }
        let spec = scenario.device(named: d)
        let username = user ?? spec?.user ?? ""
        let secret = password ?? (user == nil ? spec?.password : nil) ?? credentials.password(for: username)
        guard let secret else { throw StepError(expected: "a password for \(username)", actual: "none in the file") }
        await phone.login(username: username, password: secret)
    }

    /// What the phone's screen says, as `assertVisible` reads it: the drawn phone, its wrapped lines joined.
    func screenText(_ d: String) async throws(StepError) -> String {
        PhoneScreen.searchable(PhoneScreen.lines(try await device(d).state, nowMillis: clock.nowMillis))
    }

    /// A logged-in phone and one of its channels by name, or the step's failure saying which is missing.
    func loggedInChannel(_ d: String, _ channelName: String, to purpose: String) async throws(StepError)
        -> (Phone, DeviceState, Channel) {
        let phone = try await device(d)
        let state = await phone.state
        guard state.isLoggedIn else {
            throw StepError(expected: "\(d) to be logged in to \(purpose)", actual: "screen \(state.screen.name)")
        }
        guard let channel = state.channel(named: channelName) else {
            throw StepError(expected: "a channel \(channelName) on \(d)",
                            actual: "channels: \(state.channels.map(\.displayName).joined(separator: ", "))")
        }
        return (phone, state, channel)
    }

    /// Opens the channel and sends, as a person would; offline, the message waits in the outbox.
    func post(_ d: String, channelName: String, text: String) async throws(StepError) {
        let (phone, state, channel) = try await loggedInChannel(d, channelName, to: "post")
        if state.screen != .channel(channel.id) { await phone.send(.openChannel(channel.id)) }
        guard await phone.compose(channelID: channel.id, text: text) else {
            throw StepError(expected: "\(d) to accept the message", actual: "refused (logged out)")
        }
    }

    func assertPost(channel name: String, text: String, by author: String, reader: String) async throws(StepError) {
        var token = try await readerToken(reader)
        var found: (posts: [Post]?, authorID: String?) = (nil, nil)
        do throws(ClientError) {
            found = try await postsAndAuthor(channel: name, author: author, token: token)
        } catch {
            // A revocation may have ended the reader's session: sign in once more.
            guard case .unauthorized = error else { throw StepError(expected: "to read posts of \(name)", actual: scrub("\(error)")) }
            token = try await readerToken(reader, fresh: true)
            do throws(ClientError) {
                found = try await postsAndAuthor(channel: name, author: author, token: token)
            } catch {
                throw StepError(expected: "to read posts of \(name)", actual: scrub("\(error)"))
            }
        }
        guard let authorID = found.authorID else { throw StepError(expected: "a user named \(author)", actual: "no such user") }
        guard let posts = found.posts else { throw StepError(expected: "a channel \(name) that \(reader) can read", actual: "not found") }
        if posts.contains(where: { $0.message == text && $0.userID == authorID }) { return }
        let recent = posts.suffix(3).map { "\"\($0.message)\"" }.joined(separator: ", ")
        throw StepError(expected: "a post \"\(text)\" by \(author) in \(name)",
                        actual: posts.isEmpty ? "the channel is empty" : "latest posts: \(recent)")
    }

    /// The channel's posts (nil: no such channel for this reader) and the author's user id.
    func postsAndAuthor(channel name: String, author: String, token: String) async throws(ClientError) -> (posts: [Post]?, authorID: String?) {
        let authorID = try await api.users(token: token).first { $0.username == author }?.id
        for team in try await api.myTeams(token: token) {
            let channels = try await api.myChannels(token: token, teamID: team.id)
            if let channel = channels.first(where: { $0.name == name || $0.displayName.lowercased() == name.lowercased() }) {
                return (try await api.posts(token: token, channelID: channel.id, since: nil).chronological, authorID)
            }
        }
        return (nil, authorID)
    }
}
