import Device
import MattermostModel

/// A position in a scenario file, 1-based, for messages like `demo/x.yaml:12:5: …`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, or the file alone for what concerns it whole (no `:0:0`, which points nowhere).
    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}

/// One parsed scenario file. Strings have had `${KEY}` substituted already.
public struct Scenario: Sendable {
    public var file: String
    public var name: String
    public var tags: [String]
    public var devices: [DeviceSpec]
    /// Passwords of `as:` users (and others) that the runner cannot know, e.g. against a real server.
    public var credentials: [String: String]
    public var steps: [Step]

    public func device(named name: String) -> DeviceSpec? { devices.first { $0.name == name } }
}

public struct DeviceSpec: Sendable, Equatable {
    public var name: String
    public var user: String
    /// nil: taken from `credentials:` or, in embedded mode, the seeded password.
    public var password: String?
    public var revokePolicy: RevokePolicy
    /// nil: the run's `--network` default.
    public var network: NetworkProfile? = nil
    /// nil: the run's `--app` default.
    public var app: AppModel? = nil
    public var location: SourceLocation
}

public struct Step: Sendable {
    public var action: Action
    /// Shown by `mmsim demo` and in recordings.
    public var caption: String?
    public var location: SourceLocation

    /// What a step does. Devices are referenced by their key under `devices:`.
    public enum Action: Sendable, Equatable {
        case launch(device: String)
        case login(device: String, user: String?, password: String?)
        case logout(device: String)
        case airplane(device: String, on: Bool)
        case power(device: String, on: Bool)
        case network(device: String, profile: NetworkProfile)
        case post(device: String, channel: String, text: String)
        /// The app leaves the screen, or comes back to it ("Open the Mattermost app").
        case background(device: String)
        case foreground(device: String)
        /// A channel by display name, as a person taps it in the list.
        case openChannel(device: String, channel: String)
        case revokeAllSessions(as: String)
        case revokeUserSessions(as: String, user: String)
        case revokeSession(as: String, device: String)
        case deactivateUser(as: String, user: String)
        /// System Console › Users › Reset password; also clears the user's login lockout.
        case resetPassword(as: String, user: String, password: String)
        case wait(millis: Int64, text: String)
        case assertScreen(device: String, screen: String)
        case assertVisible(device: String, text: String)
        case assertNotVisible(device: String, text: String)
        case assertTokenCache(device: String, empty: Bool)
        case assertOutbox(device: String, count: Int)
        case assertPost(channel: String, text: String, by: String, as: String?)
        case snapshot(device: String, name: String)
    }

    /// The step's key in the file, e.g. `airplane`.
    public var keyword: String {
        switch action {
        case .launch: return "launch"
        case .login: return "login"
        case .logout: return "logout"
        case .airplane: return "airplane"
        case .power: return "power"
        case .network: return "network"
        case .post: return "post"
        case .background: return "background"
        case .foreground: return "foreground"
        case .openChannel: return "openChannel"
        case .revokeAllSessions: return "revokeAllSessions"
        case .revokeUserSessions: return "revokeUserSessions"
        case .revokeSession: return "revokeSession"
        case .deactivateUser: return "deactivateUser"
        case .resetPassword: return "resetPassword"
        case .wait: return "wait"
        case .assertScreen: return "assertScreen"
        case .assertVisible: return "assertVisible"
        case .assertNotVisible: return "assertNotVisible"
        case .assertTokenCache: return "assertTokenCache"
        case .assertOutbox: return "assertOutbox"
        case .assertPost: return "assertPost"
        case .snapshot: return "snapshot"
        }
    }

    /// The device a step acts on, if any: its screen goes into a failure report.
    public var device: String? {
        switch action {
        case .launch(let d), .login(let d, _, _), .logout(let d), .airplane(let d, _), .power(let d, _), .network(let d, _),
             .post(let d, _, _), .background(let d), .foreground(let d), .openChannel(let d, _), .revokeSession(_, let d), .assertScreen(let d, _), .assertVisible(let d, _),
             .assertNotVisible(let d, _), .assertTokenCache(let d, _), .assertOutbox(let d, _), .snapshot(let d, _):
            return d
        case .revokeAllSessions, .revokeUserSessions, .deactivateUser, .resetPassword, .wait, .assertPost:
            return nil
        }
    }

    /// The `as:` user of a System Console step (nil for the others): who signs in to the console.
    public var consoleUser: String? {
        switch action {
        case .revokeAllSessions(let a), .revokeUserSessions(let a, _), .revokeSession(let a, _), .deactivateUser(let a, _),
             .resetPassword(let a, _, _):
            return a
        default: return nil
        }
    }

    /// A password written in the step itself, which every output must hide.
    public var secret: String? {
        switch action {
        case .login(_, _, let password): return password
        case .resetPassword(_, _, let password): return password
        default: return nil
        }
    }

    /// One line for summaries, e.g. `airplane {device: phone, on: true}`. Never includes a password.
    public var summary: String {
        func onOff(_ b: Bool) -> String { b ? "true" : "false" }
        switch action {
        case .launch(let d): return "launch: \(d)"
        case .login(let d, let user, _): return user.map { "login: {device: \(d), user: \($0)}" } ?? "login: \(d)"
        case .logout(let d): return "logout: \(d)"
        case .airplane(let d, let on): return "airplane: {device: \(d), on: \(onOff(on))}"
        case .power(let d, let on): return "power: {device: \(d), on: \(onOff(on))}"
        case .network(let d, let profile): return "network: {device: \(d), profile: \(profile.rawValue)}"
        case .post(let d, let c, let t): return "post: {device: \(d), channel: \(c), text: \"\(t)\"}"
        case .background(let d): return "background: \(d)"
        case .foreground(let d): return "foreground: \(d)"
        case .openChannel(let d, let c): return "openChannel: {device: \(d), channel: \(c)}"
        case .revokeAllSessions(let a): return "revokeAllSessions: {as: \(a)}"
        case .revokeUserSessions(let a, let u): return "revokeUserSessions: {as: \(a), user: \(u)}"
        case .revokeSession(let a, let d): return "revokeSession: {as: \(a), device: \(d)}"
        case .deactivateUser(let a, let u): return "deactivateUser: {as: \(a), user: \(u)}"
        case .resetPassword(let a, let u, _): return "resetPassword: {as: \(a), user: \(u)}"
        case .wait(_, let text): return "wait: \(text)"
        case .assertScreen(let d, let s): return "assertScreen: {device: \(d), screen: \(s)}"
        case .assertVisible(let d, let t): return "assertVisible: {device: \(d), text: \"\(t)\"}"
        case .assertNotVisible(let d, let t): return "assertNotVisible: {device: \(d), text: \"\(t)\"}"
        case .assertTokenCache(let d, let e): return "assertTokenCache: {device: \(d), empty: \(onOff(e))}"
        case .assertOutbox(let d, let c): return "assertOutbox: {device: \(d), count: \(c)}"
        case .assertPost(let c, let t, let by, _): return "assertPost: {channel: \(c), text: \"\(t)\", by: \(by)}"
        case .snapshot(let d, let n): return "snapshot: {device: \(d), name: \(n)}"
        }
    }
}
