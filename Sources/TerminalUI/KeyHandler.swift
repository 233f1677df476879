import Foundation
import Device

/// Keys → new state + commands. Pure: the wiring runs the commands and feeds phone states back.
public func handle(_ state: AppState, _ key: Key) -> (AppState, [Command]) {
    var handler = KeyHandler(state: state)
    handler.handle(key)
    return (handler.state, handler.commands)
}

struct KeyHandler {
    var state: AppState
    var commands: [Command] = []

    mutating func handle(_ key: Key) {
        if key == .controlC { return quit() }
        if case .click(let action) = key { return click(action) }
        if state.dialog != nil { return dialogKey(key) }
        if case .function(let number) = key {
            if let binding = KeyMap.binding(function: number) { perform(binding.action) }
            return
        }
        switch key {
        case .tab: return cycleFocus(by: 1)
        case .backTab: return cycleFocus(by: -1)
        case .pageUp: return scrollTimeline(by: 10)
        case .pageDown: return scrollTimeline(by: -10)
        default: break
        }
        if state.focus == .timeline {
            switch key {
            case .up: return scrollTimeline(by: 1)
            case .down: return scrollTimeline(by: -1)
            case .home: return scrollTimeline(by: Int.max / 2)
            case .end: return scrollTimeline(by: -(Int.max / 2))
            default: break
            }
        }
        if state.focus.isTextField {
            textFieldKey(key)
        } else if case .character(let c) = key, let binding = KeyMap.binding(letter: c) {
            // A word typed while focus slipped out of a field must not act: letters are shortcuts only while no
            // text screen (server, login, a channel's composer) is in front.
            if lettersAct { perform(binding.action) }
        } else {
            otherKey(key)
        }
    }

    /// Up (positive) into older entries; the renderer clamps to what there is.
    mutating func scrollTimeline(by lines: Int) {
        let next = state.timelineScroll.addingReportingOverflow(lines)
        state.timelineScroll = max(0, next.overflow ? Int.max / 2 : next.partialValue)
        state.status = state.timelineScroll == 0 ? "timeline: following the newest" : "timeline: scrolled up (End follows again)"
    }

    /// Letter shortcuts act only while the focused phone shows no screen that takes text.
    var lettersAct: Bool {
        switch state.phone?.screen ?? .off {
        case .off, .channels: return true
        case .server, .login, .channel: return false
        }
    }

    // MARK: Global keys

    mutating func perform(_ action: GlobalAction) {
        let index = state.focusedPhone
        switch action {
        case .help: state.dialog = .help
        case .airplane:
            guard let phone = state.phone else { return }
            commands.append(.setAirplane(phone: index, on: !phone.airplane))
            state.status = phone.airplane ? "\(phone.name): airplane mode off" : "\(phone.name): airplane mode on"
        case .power:
            guard let phone = state.phone else { return }
            commands.append(.setPower(phone: index, on: !phone.powered))
            state.status = phone.powered ? "\(phone.name): powered off" : "\(phone.name): powering on"
        case .nextPhone:
            guard state.phones.count > 1 else {
                state.status = "only one phone (start with --devices N for more)"
                return
            }
            state.focusedPhone = (index + 1) % state.phones.count
            if state.pane == .phones, let phone = state.phone { state.focus = AppState.defaultFocus(for: phone) }
            state.status = "focus: \(state.phone?.name ?? "")"
        case .revokeAll: state.dialog = .confirmRevokeAll(confirmFocused: false)
        case .clock:
            commands.append(.advanceClock(millis: 60_000))
            state.status = state.embedded ? "clock +1 min (server and phones)" : "phones' clock +1 min (the real server's clock does not move)"
        case .network:
            guard let phone = state.phone else { return }
            let next = phone.network.next
            commands.append(.setNetwork(phone: index, next))
            state.status = "\(phone.name): network \(next.rawValue)"
        case .background:
            guard let phone = state.phone, phone.powered else { return }
            let toBackground = phone.visibility == .foreground
            commands.append(.setBackground(phone: index, toBackground))
            state.status = "\(phone.name): app \(toBackground ? "to the background" : "back to the foreground")"
        case .appModel:
            guard let phone = state.phone else { return }
            guard phone.powered else {
                state.status = "\(phone.name): power on (and log out) to switch the app model"
                return
            }
            guard !phone.isLoggedIn else {
                state.status = "\(phone.name): log out first to switch the app model"
                return
            }
            commands.append(.setApp(phone: index, phone.app.next))
            state.status = "\(phone.name): app model \(phone.app.next.rawValue)"
        case .quit: quit()
        }
    }

    mutating func quit() {
        state.quitRequested = true
        commands.append(.quit)
    }

    mutating func cycleFocus(by step: Int) {
        let cycle = state.focusCycle
        let current = cycle.firstIndex(of: state.focus) ?? 0
        state.focus = cycle[(current + step + cycle.count) % cycle.count]
    }

    // MARK: Dialogs

    mutating func dialogKey(_ key: Key) {
        switch state.dialog {
        case .confirmRevokeAll(let focused):
            confirmKey(key, focused: focused) { .confirmRevokeAll(confirmFocused: $0) }
        case .confirmRevokeUser(let userID, let username, let focused):
            confirmKey(key, focused: focused) { .confirmRevokeUser(userID: userID, username: username, confirmFocused: $0) }
        case .resetPassword(let form): resetPasswordKey(key, form)
        case .help, .message:
            switch key {
            case .function(10): quit()
            default: state.dialog = nil
            }
        case nil: break
        }
    }

    /// Mattermost's confirm dialogs: no printable key confirms, only Enter on the focused danger button (or a
    /// click); Tab or an arrow moves the focus, Enter on Cancel, Esc or `n` cancels.
    mutating func confirmKey(_ key: Key, focused: Bool, refocus: (Bool) -> Dialog) {
        switch key {
        case .character("n"), .character("N"), .escape: cancelDialog()
        case .tab, .backTab, .left, .right: state.dialog = refocus(!focused)
        case .enter: focused ? confirmDialog() : cancelDialog()
        case .function(10): quit()
        default: break
        }
    }

    mutating func confirmRevoke() {
        state.dialog = nil
        state.status = "Revoke All Sessions: sent"
        commands.append(.revokeAllSessions)
    }

    mutating func confirmRevokeUser(_ userID: String, _ username: String) {
        state.dialog = nil
        state.status = "revoking the sessions of \(username)"
        commands.append(.revokeSessions(userID: userID))
    }

    /// The open dialog's confirm button, whichever dialog it is.
    mutating func confirmDialog() {
        switch state.dialog {
        case .confirmRevokeAll: confirmRevoke()
        case .confirmRevokeUser(let userID, let username, _): confirmRevokeUser(userID, username)
        case .resetPassword(let form): submitResetPassword(form)
        case .help, .message, nil: state.dialog = nil
        }
    }

    mutating func cancelDialog() {
        switch state.dialog {
        case .confirmRevokeAll: state.status = "Revoke All Sessions: cancelled"
        case .confirmRevokeUser(_, let username, _): state.status = "Revoke sessions of \(username): cancelled"
        case .resetPassword: state.status = "Reset password: cancelled"
        default: break
        }
        state.dialog = nil
    }

    /// The Reset password field takes every character (letters are not shortcuts here); Enter sends.
    mutating func resetPasswordKey(_ key: Key, _ form: ResetPasswordForm) {
        var form = form
        switch key {
        case .character(let c): form.newPassword.append(c)
        case .backspace, .delete: if !form.newPassword.isEmpty { form.newPassword.removeLast() }
        case .enter: return submitResetPassword(form)
        case .escape: return cancelDialog()
        case .function(10): return quit()
        default: return
        }
        state.dialog = .resetPassword(form)
    }

    /// The server judges the password (length rules and all), as Mattermost's does; an empty one is not sent.
    mutating func submitResetPassword(_ form: ResetPasswordForm) {
        guard !form.newPassword.isEmpty else {
            state.status = "Reset password: type the new password first"
            return
        }
        state.dialog = nil
        state.status = "resetting the password of \(form.username)"
        commands.append(.resetPassword(userID: form.userID, newPassword: form.newPassword))
    }

    /// Opens Reset password for the console's n-th user row (row 0 is the Revoke All Sessions button).
    mutating func openResetPassword(row: Int) {
        guard state.console.users.indices.contains(row - 1) else {
            state.status = "select a user first (Up/Down), then u to reset the password"
            return
        }
        let user = state.console.users[row - 1]
        state.dialog = .resetPassword(ResetPasswordForm(userID: user.userID, username: user.username))
    }

    // MARK: Text fields

    mutating func textFieldKey(_ key: Key) {
        let index = state.focusedPhone
        guard let phone = state.phone else { return }
        switch (state.focus, key) {
        case (.username, .enter), (.username, .down):
            state.focus = .password
            commands.append(.focusField(phone: index, .password))
        case (.password, .up):
            state.focus = .username
            commands.append(.focusField(phone: index, .username))
        case (.password, .down):
            state.focus = .loginButton
        case (.password, .enter): submitLogin()
        case (.username, .escape), (.password, .escape): state.focus = .loginButton
        case (.composer, .enter):
            let text = state.drafts[index]
            guard case .channel(let channelID) = phone.screen, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
            commands.append(.compose(phone: index, channelID: channelID, text: text))
            state.drafts[index] = ""
        case (.composer, .escape):
            commands.append(.back(phone: index))
            state.focus = .channelList
        case (_, .character(let c)): edit { $0.append(c) }
        case (_, .backspace), (_, .delete): edit { if !$0.isEmpty { $0.removeLast() } }
        default: break
        }
    }

    /// Changes the focused field's text and tells the phone (login fields) or keeps the draft (composer).
    mutating func edit(_ change: (inout String) -> Void) {
        let index = state.focusedPhone
        guard state.phones.indices.contains(index) else { return }
        switch state.focus {
        case .username:
            guard !state.phones[index].loginForm.submitting else { return }
            change(&state.phones[index].loginForm.username)
            state.pendingEdits[index] += 1
            commands.append(.typeUsername(phone: index, state.phones[index].loginForm.username))
        case .password:
            guard !state.phones[index].loginForm.submitting else { return }
            change(&state.phones[index].loginForm.password)
            state.pendingEdits[index] += 1
            commands.append(.typePassword(phone: index, state.phones[index].loginForm.password))
        case .composer:
            change(&state.drafts[index])
        default: break
        }
    }

    mutating func connectServer() {
        guard let phone = state.phone, phone.screen == .server else { return }
        commands.append(.connectServer(phone: state.focusedPhone))
    }

    mutating func submitLogin() {
        guard let phone = state.phone, phone.screen == .login, !phone.loginForm.submitting else { return }
        if phone.loginForm.username.isEmpty { state.focus = .username; return }
        if phone.loginForm.password.isEmpty { state.focus = .password; return }
        commands.append(.submitLogin(phone: state.focusedPhone))
        // The phone clears the password and refuses typing once it submits; until its state says so, keys typed
        // on must not land in this copy (they were appended to the submitted password and sent on).
        guard !phone.airplane else { return }
        state.phones[state.focusedPhone].loginForm.submitting = true
        state.phones[state.focusedPhone].loginForm.password = ""
    }

    // MARK: Everything else

    mutating func otherKey(_ key: Key) {
        let index = state.focusedPhone
        guard let phone = state.phone else { return }
        switch (state.focus, key) {
        case (.loginButton, .enter): submitLogin()
        case (.loginButton, .up): state.focus = .password
        case (.powerButton, .enter): commands.append(.setPower(phone: index, on: true))
        case (.connectButton, .enter): connectServer()
        case (.channelList, .up): moveChannelCursor(-1)
        case (.channelList, .down): moveChannelCursor(1)
        case (.channelList, .enter):
            let cursor = state.channelCursor[index]
            guard phone.channels.indices.contains(cursor) else { return }
            commands.append(.openChannel(phone: index, channelID: phone.channels[cursor].id))
        case (.console, .up): state.consoleCursor = max(0, state.consoleCursor - 1)
        case (.console, .down): state.consoleCursor = min(state.console.users.count, state.consoleCursor + 1)
        case (.console, .enter): activateConsoleRow(state.consoleCursor)
        case (.console, .character("u")), (.console, .character("U")): openResetPassword(row: state.consoleCursor)
        case (_, .character("w")) where lettersAct, (_, .character("W")) where lettersAct:
            guard let folder = state.timelineFolder else {
                state.status = "no data folder: the timeline cannot be saved"
                return
            }
            // The wiring's outcome replaces this once the files are written (or could not be).
            commands.append(.saveTimelines)
            state.status = "saving timelines to \(folder)…"
        case (.channelList, .character("l")), (.channelList, .character("L")):
            guard phone.isLoggedIn else { return }
            commands.append(.logout(phone: index))
            state.status = "\(phone.name): logging out"
        case (_, .character("1")): state.focus = AppState.defaultFocus(for: phone)
        case (_, .character("2")): state.focus = .console
        case (_, .character("3")): state.focus = .timeline
        case (_, .escape):
            if case .channel = phone.screen {
                commands.append(.back(phone: index))
            } else if state.pane != .phones {
                state.focus = AppState.defaultFocus(for: phone)
            }
        default: break
        }
    }

    mutating func moveChannelCursor(_ step: Int) {
        let index = state.focusedPhone
        let count = state.phones[index].channels.count
        guard count > 0 else { return }
        state.channelCursor[index] = min(count - 1, max(0, state.channelCursor[index] + step))
    }

    /// Row 0 is the Revoke All Sessions button; row n is the n-th user's revoke.
    mutating func activateConsoleRow(_ row: Int) {
        if row == 0 {
            state.dialog = .confirmRevokeAll(confirmFocused: false)
        } else if state.console.users.indices.contains(row - 1) {
            let user = state.console.users[row - 1]
            state.dialog = .confirmRevokeUser(userID: user.userID, username: user.username, confirmFocused: false)
        }
    }

    // MARK: Mouse

    mutating func click(_ action: HitAction) {
        if state.dialog != nil {
            switch action {
            case .confirm:
                confirmDialog()
            case .cancel: cancelDialog()
            case .key(let key): handle(key)
            default: break
            }
            return
        }
        switch action {
        case .focusPhone(let index):
            guard state.phones.indices.contains(index) else { return }
            state.focusedPhone = index
            state.focus = AppState.defaultFocus(for: state.phones[index])
        case .field(let index, let focus):
            state.focusedPhone = index
            state.focus = focus
        case .logIn(let index):
            state.focusedPhone = index
            submitLogin()
        case .connect(let index):
            state.focusedPhone = index
            connectServer()
        case .airplane(let index):
            state.focusedPhone = index
            perform(.airplane)
        case .power(let index):
            state.focusedPhone = index
            perform(.power)
        case .channel(let index, let row):
            state.focusedPhone = index
            state.channelCursor[index] = row
            state.focus = .channelList
            otherKey(.enter)
        case .back(let index):
            commands.append(.back(phone: index))
        case .revokeAll:
            state.focus = .console
            state.consoleCursor = 0
            state.dialog = .confirmRevokeAll(confirmFocused: false)
        case .revokeUser(let row):
            state.focus = .console
            state.consoleCursor = row + 1
            activateConsoleRow(row + 1)
        case .resetPassword(let row):
            state.focus = .console
            state.consoleCursor = row + 1
            openResetPassword(row: row + 1)
        case .pane(let pane):
            switch pane {
            case .phones: if let phone = state.phone { state.focus = AppState.defaultFocus(for: phone) }
            case .console: state.focus = .console
            case .timeline: state.focus = .timeline
            }
        case .key(let key): handle(key)
        case .confirm, .cancel: break
        }
    }
}
