import Device
import MattermostModel

/// A phone's screen as plain text lines: what a tester would read off the device. Used by `assertVisible`,
/// snapshots, failure reports and recordings. (The TUI has its own drawn phone; this one has no frame or
/// colours, so that snapshots diff cleanly. Unify with TerminalUI's phone renderer if it becomes importable here.)
/// The password field is always masked and the token is not in `DeviceState` at all.
public enum ScreenText {
    public static func lines(_ state: DeviceState) -> [String] {
        var out = [header(state)]
        if let banner = state.banner { out.append("! \(banner.text)") }
        if let problem = state.diskProblem { out.append("! \(problem) (kept in memory, retrying)") }
        switch state.screen {
        case .off:
            out.append("(screen off)")
        case .server:
            out.append("Let\u{2019}s Connect to a Server")  // the real app's server screen (TerminalUI)
            out.append("Server URL: " + state.serverURL)
            out.append("[ Connect ]")
        case .login:
            out.append("Log in to your account")  // the same words as the app screen (TerminalUI)
            out.append(("Username: " + state.loginForm.username).trimmingTrailingSpaces())
            out.append(state.loginForm.password.isEmpty ? "Password:" : "Password: ••••••••")
            out.append(state.loginForm.submitting ? "[ Logging in... ]" : "[ Log In ]")
        case .channels:
            out.append(state.team?.displayName ?? "(no team)")
            for channel in state.channels { out.append("  # \(channel.displayName)") }
            let waiting = state.sendableOutbox.count
            if waiting > 0 { out.append("\(waiting) message\(waiting == 1 ? "" : "s") waiting to send") }
        case .channel(let id):
            let channel = state.channels.first { $0.id == id }
            out.append("# \(channel?.displayName ?? id)")
            for post in (state.posts[id] ?? []).suffix(12) {
                out.append("\(author(post.userID, state)): \(post.message)")
            }
            for item in state.visibleOutbox where item.channelID == id {
                let mark = item.state == .failed ? "failed to send" : "waiting to send"
                out.append("\(author(item.authorID, state)): \(item.message) (\(mark))")
            }
        }
        return out
    }

    public static func text(_ state: DeviceState) -> String { lines(state).joined(separator: "\n") }

    static func header(_ state: DeviceState) -> String {
        var parts = ["[\(state.name)]", state.screen.name]
        if let account = state.account, state.screen != .login { parts.append(account.username) }
        if state.powered {
            if state.airplane { parts.append("airplane mode") }
            parts.append(state.connection.rawValue)
        }
        return parts.joined(separator: " · ")
    }

    static func author(_ userID: String, _ state: DeviceState) -> String {
        if let account = state.account, account.id == userID { return account.username }
        return "someone"
    }

    /// Several screens side by side, each `width` wide, for recordings.
    public static func sideBySide(_ screens: [[String]], width: Int) -> [String] {
        let height = screens.map(\.count).max() ?? 0
        return (0..<height).map { row in
            screens.map { screen in
                let line = row < screen.count ? screen[row] : ""
                let clipped = line.count > width - 2 ? String(line.prefix(width - 3)) + "…" : line
                return clipped + String(repeating: " ", count: max(0, width - clipped.count))
            }.joined().trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
