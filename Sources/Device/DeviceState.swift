import MattermostModel

/// Everything a phone is, as a value. Screens, the TUI and the headless runner only read this.
/// The session token is deliberately not here: state is rendered, snapshotted and recorded.
public struct DeviceState: Sendable, Equatable {
    public var name: String
    public var deviceID: String
    public var serverURL: String
    public var revokePolicy: RevokePolicy
    /// Which app this phone runs; its rules decide how the phone reconnects and what logs it out.
    public var app: AppModel
    public var rules: AppRules { app.rules }

    /// Off, logged out, or in a session: one owner for "is it on" and "who is logged in".
    public var phase: Phase = .off
    public var airplane = false
    /// The app in front of the user, or in the background (power on starts it in the foreground).
    public var visibility: AppVisibility = .foreground
    /// The link's quality (the radio is `airplane`).
    public var network: NetworkProfile = .online
    public var screen: Screen = .off
    public var banner: Banner?
    public var connection: Connection = .off
    public var loginForm = LoginForm()

    /// The disk refused a write: what, and why. Shown until a retry saves it (the data is kept in memory).
    public var diskProblem: String?
    /// Why the last session ended (the reference app says so in a banner; the real app says nothing).
    public var lastSessionEnd: SessionEnd?
    public var team: Team?
    public var channels: [Channel] = []
    public var posts: [String: [Post]] = [:]
    public var outbox: [OutboxItem] = []

    /// What the engine must do next, one request at a time.
    public var syncQueue: [SyncStep] = []
    public var inFlight: InFlightRequest?
    public var socket: SocketState = .closed
    /// What the app keeps of its WebSocket across reopens (reliable websockets).
    public var webSocket = WebSocketMemory()
    public var failures = 0
    /// Timer deadlines on the simulation clock; the engine fires `.timerFired` when one is due.
    public var timers: [TimerKind: Int64] = [:]
    public var timeline = Timeline()

    var nextRequestID = 1
    var nextSocketID = 1
    var nextPingSeq: Int64 = 2

    public init(name: String, deviceID: String, serverURL: String, revokePolicy: RevokePolicy = .keepOutbox,
                app: AppModel = .reference) {
        self.name = name
        self.deviceID = deviceID
        self.serverURL = serverURL
        self.revokePolicy = revokePolicy
        self.app = app
    }

    public var powered: Bool { phase != .off }
    /// Logged in: who (a session means a token sits in the cache).
    public var account: User? {
        if case .session(let user) = phase { return user }
        return nil
    }
    public var isLoggedIn: Bool { account != nil }
    public var nextDeadline: Int64? { timers.values.min() }

    /// Outbox items this account may send: sealed items of another user wait for that user.
    public var sendableOutbox: [OutboxItem] {
        visibleOutbox.filter { $0.state != .failed }
    }

    /// The outbox of the account logged in now: items sealed to another author are invisible to it.
    public var visibleOutbox: [OutboxItem] {
        guard let account else { return [] }
        return outbox.filter { $0.authorID == account.id }
    }

    public func channel(named nameOrDisplayName: String) -> Channel? {
        channels.first { $0.name == nameOrDisplayName || $0.displayName.lowercased() == nameOrDisplayName.lowercased() }
    }
}

public enum RevokePolicy: String, Sendable, Codable, CaseIterable {
    /// mmsim's default, better than the real app: unsent messages survive a revocation, sealed to their author.
    case keepOutbox = "keep-outbox"
    /// What the real app does: everything of that server is wiped, unsent messages included.
    case wipe
}

/// The phone's lifecycle: exclusive phases, so "on" and "logged in" can never disagree.
public enum Phase: Sendable, Equatable {
    case off
    case loggedOut
    case session(User)
}

public enum SessionEnd: String, Sendable, Equatable {
    /// The user logged out.
    case user
    /// The server refused the session (a 401): revoked or expired.
    case revoked
}

public enum AppVisibility: String, Sendable, Equatable {
    case foreground, background
}

/// What the mobile app keeps of its socket between reopens (websocket/index.ts `connectionId`, `serverSequence`).
public struct WebSocketMemory: Sendable, Equatable {
    /// nil until the first `hello` of the app process.
    public var connectionID: String?
    public var sequence: Int64 = 0
    /// The server supports resuming (nil: not known yet, taken as yes for a current server).
    public var reliable: Bool?
    /// The open socket proved it is authenticated (`hello`, or a pong); else a close means it ended at the
    /// challenge.
    public var authenticated = false
    /// The open socket asked to resume: no `hello` comes when the server takes it back (web_hub.go register).
    public var resuming = false
    /// A socket has been connected since launch: the banner says nothing before that.
    public var everConnected = false

    public init() {}
}

public enum Screen: Sendable, Equatable {
    case off
    /// The real app's "Let’s Connect to a Server", with the server prefilled.
    case server
    case login
    case channels
    case channel(String)

    public var name: String {
        switch self {
        case .off: return "off"
        case .server: return "server"
        case .login: return "login"
        case .channels: return "channels"
        case .channel: return "channel"
        }
    }
}

/// The banners, worded as the real app words them (plus ours for a revocation).
public enum Banner: Sendable, Equatable {
    case noNetwork
    case connecting
    case restored
    case unreachable
    case sessionRevoked
    case loginFailed(String)

    public var text: String {
        switch self {
        case .noNetwork: return "Unable to connect to network"
        case .connecting: return "Connecting..."
        case .restored: return "Connection restored"
        case .unreachable: return "The server is not reachable"
        case .sessionRevoked: return "Your session has expired or was revoked. Please log in again."
        case .loginFailed(let message): return message
        }
    }

    public var isError: Bool {
        switch self {
        case .noNetwork, .unreachable, .sessionRevoked, .loginFailed: return true
        case .connecting, .restored: return false
        }
    }
}

public enum Connection: String, Sendable, Equatable {
    case off, noNetwork = "no network", connecting, live, unreachable, loggedOut = "logged out"
}

public struct LoginForm: Sendable, Equatable {
    public enum Field: Sendable { case username, password }
    public var username = ""
    /// Held only until the login request is sent; only ever shown masked.
    public var password = ""
    public var focus: Field = .username
    public var submitting = false
}

public struct OutboxItem: Sendable, Equatable, Codable, Identifiable {
    public enum State: String, Sendable, Codable { case pending, sending, failed }
    public var pendingPostID: String
    public var channelID: String
    public var message: String
    public var authorID: String
    public var createAt: Int64
    public var state: State

    public var id: String { pendingPostID }
}

public enum SyncStep: Sendable, Equatable {
    case revalidate, teams, channels, posts(channelID: String), openSocket, flushOutbox
    // The real app's entry calls.
    case clientConfig, clientLicense, preferences, teamMembers, channelMembers, sessions, viewChannel(String)
}

public enum TimerKind: Sendable, Hashable {
    case retry, ping, requestTimeout, clearBanner, backgroundClose, diskRetry
}

public struct InFlightRequest: Sendable, Equatable {
    public var id: Int
    public var call: APICall
    public var startedAt: Int64
}

public enum SocketState: Sendable, Equatable {
    case closed
    case connecting(id: Int)
    case open(id: Int)
    /// A ping was sent and its reply is awaited.
    case awaitingPong(id: Int, seq: Int64)

    public var id: Int? {
        switch self {
        case .closed: return nil
        case .connecting(let id), .open(let id), .awaitingPong(let id, _): return id
        }
    }
}
