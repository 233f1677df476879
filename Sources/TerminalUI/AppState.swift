import Device
import MattermostModel

/// Where the keyboard goes.
public enum Focus: Sendable, Hashable {
    case username, password, loginButton
    /// The real app's server screen: "Connect".
    case connectButton
    case channelList
    case composer
    case powerButton
    case console
    case timeline

    /// Letters are typed here rather than taken as shortcuts.
    public var isTextField: Bool { self == .username || self == .password || self == .composer }
}

/// On a small terminal the panes are tabs; on a large one they sit side by side and this only marks focus.
public enum Pane: Int, Sendable, CaseIterable {
    case phones, console, timeline
    public var title: String {
        switch self {
        case .phones: return "Phones"
        case .console: return "System Console"
        case .timeline: return "Timeline"
        }
    }
}

public enum Dialog: Sendable, Equatable {
    case help
    /// Mattermost's confirm dialog; `confirmFocused` marks the focused button.
    case confirmRevokeAll(confirmFocused: Bool)
    /// The same for one user's sessions (a console row's Revoke), as the web console's "Revoke Sessions for …".
    case confirmRevokeUser(userID: String, username: String, confirmFocused: Bool)
    /// System Console › Users › Reset password: a masked field for the new password (drawn as bullets only).
    case resetPassword(ResetPasswordForm)
    case message(String)
}

/// The Reset password dialog's state. The typed password lives here until Enter, and is never drawn.
public struct ResetPasswordForm: Sendable, Equatable {
    public var userID: String
    public var username: String
    public var newPassword = ""

    public init(userID: String, username: String) {
        self.userID = userID
        self.username = username
    }
}

/// Everything the screen shows, as one value: `render` draws it and `handle` changes it.
public struct AppState: Sendable, Equatable {
    public var phones: [DeviceState]
    public var console: ConsoleView
    public var focusedPhone = 0
    public var focus: Focus = .username
    public var dialog: Dialog?
    /// Simulation clock (ms since epoch) and the local time zone's offset, so that render stays pure.
    public var nowMillis: Int64 = 0
    public var utcOffsetSeconds = 0
    public var clockOffsetMillis: Int64 = 0
    public var serverURL: String
    /// One line under the title, e.g. "port 8065 was taken: using 41234".
    public var serverNote = ""
    public var embedded = true
    public var ascii = false
    public var color = true
    /// The last thing worth saying in the key bar ("F6 moves only the phones' clock", …).
    public var status = ""
    /// How many wrapped lines the timeline is scrolled up from its newest (0: it follows new entries).
    public var timelineScroll = 0
    /// Where `w` saves the timelines (and quitting does, by itself); nil: nowhere to save.
    public var timelineFolder: String?
    /// Another program's keys for the bar (the demo's), instead of the app's F-keys.
    public var keyBar: [KeyHint]?
    /// The app's own keys act (not in the demo, whose screens are pictures): hints like "F8 opens it" only then.
    public var appKeysWork: Bool { keyBar == nil }
    public var drafts: [String] = []
    public var channelCursor: [Int] = []
    public var consoleCursor = 0
    public var quitRequested = false
    /// Type commands not yet applied by the phone: its older copy of the login form must not win meanwhile.
    public var pendingEdits: [Int] = []

    public init(phones: [DeviceState], console: ConsoleView, serverURL: String) {
        self.phones = phones
        self.console = console
        self.serverURL = serverURL
        drafts = Array(repeating: "", count: phones.count)
        channelCursor = Array(repeating: 0, count: phones.count)
        pendingEdits = Array(repeating: 0, count: phones.count)
        if let first = phones.first { focus = Self.defaultFocus(for: first) }
    }

    public var glyphs: Glyphs { ascii ? .ascii : .unicode }
    public var phone: DeviceState? { phones.indices.contains(focusedPhone) ? phones[focusedPhone] : nil }

    /// The pane a focus belongs to (the visible tab on a small terminal).
    public var pane: Pane {
        switch focus {
        case .console: return .console
        case .timeline: return .timeline
        default: return .phones
        }
    }

    /// Where focus lands when a phone shows a screen: the first empty login field, the list, the composer.
    public static func defaultFocus(for phone: DeviceState) -> Focus {
        switch phone.screen {
        case .off: return .powerButton
        case .server: return .connectButton
        case .login:
            if phone.loginForm.username.isEmpty { return .username }
            return .password
        case .channels: return .channelList
        case .channel: return .composer
        }
    }

    /// The focus stops Tab visits, in order, for the focused phone's current screen.
    public var focusCycle: [Focus] {
        let phoneStops: [Focus]
        switch phone?.screen ?? .off {
        case .off: phoneStops = [.powerButton]
        case .server: phoneStops = [.connectButton]
        case .login: phoneStops = [.username, .password, .loginButton]
        case .channels: phoneStops = [.channelList]
        case .channel: phoneStops = [.composer]
        }
        return phoneStops + [.console, .timeline]
    }

    /// A phone reported a new state. Screen changes move focus; unsent typing wins over an older login form.
    /// Returns what the wiring should do next: a login or logout changes the console's session counts.
    @discardableResult
    public mutating func update(phone index: Int, to new: DeviceState) -> [Command] {
        guard phones.indices.contains(index) else { return [] }
        let old = phones[index]
        var incoming = new
        if pendingEdits[index] > 0 {
            incoming.loginForm.username = old.loginForm.username
            incoming.loginForm.password = old.loginForm.password
        }
        phones[index] = incoming
        // Echo a new banner in the status line too: full width, so it is never wrapped or clipped.
        if let banner = new.banner, banner != old.banner { status = "\(new.name): \(banner.text)" }
        if !old.isLoggedIn, new.isLoggedIn, let user = new.account { status = "\(new.name): logged in as \(user.username)" }
        if old.screen != new.screen {
            if index == focusedPhone, pane == .phones { focus = Self.defaultFocus(for: incoming) }
            if new.screen == .channels { channelCursor[index] = min(channelCursor[index], max(0, new.channels.count - 1)) }
        }
        return old.isLoggedIn != new.isLoggedIn ? [.refreshConsole] : []
    }

    /// The wiring ran a typing command: the phone's copy of the login form is current again once none are left.
    public mutating func typingApplied(phone index: Int) {
        guard pendingEdits.indices.contains(index) else { return }
        pendingEdits[index] = max(0, pendingEdits[index] - 1)
    }

    public func clockText(_ millis: Int64, seconds: Bool = false) -> String {
        let local = millis / 1000 + Int64(utcOffsetSeconds)
        let daySeconds = ((local % 86_400) + 86_400) % 86_400
        let hh = daySeconds / 3600, mm = (daySeconds / 60) % 60, ss = daySeconds % 60
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return seconds ? "\(two(hh)):\(two(mm)):\(two(ss))" : "\(two(hh)):\(two(mm))"
    }

    /// A user's name for a post's author id: the phone's own account, else the console's list.
    public func username(for userID: String, on phone: DeviceState) -> String {
        if phone.account?.id == userID { return phone.account?.username ?? "me" }
        return console.users.first { $0.userID == userID }?.username ?? "someone"
    }
}

/// One entry of a key bar: the key as printed and what it does.
public struct KeyHint: Sendable, Equatable {
    public var key: String
    public var label: String

    public init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }
}
