import MattermostModel

/// Everything a phone is, as a value. Screens, the TUI and the headless runner only read this.
/// The session token is deliberately not here: state is rendered, snapshotted and recorded.
public struct DeviceState: Sendable, Equatable {
    public var name: String
    public var deviceID: String
    public var serverURL: String
    public var revokePolicy: RevokePolicy

    public var powered = false
    public var airplane = false
    /// The link's quality (the radio is `airplane`).
    public var network: NetworkProfile = .online
    public var screen: Screen = .off
    public var banner: Banner?
    public var connection: Connection = .off
    public var loginForm = LoginForm()

    /// Logged in: who, and whether a token sits in the cache.
    public var account: User?
    public var hasToken = false
    public var team: Team?
    public var channels: [Channel] = []
    public var posts: [String: [Post]] = [:]
    public var outbox: [OutboxItem] = []

    /// What the engine must do next, one request at a time.
    public var syncQueue: [SyncStep] = []
    public var inFlight: InFlightRequest?
    public var socket: SocketState = .closed
    public var failures = 0
    /// Timer deadlines on the simulation clock; the engine fires `.timerFired` when one is due.
    public var timers: [TimerKind: Int64] = [:]
    public var timeline = Timeline()

    var nextRequestID = 1
    var nextSocketID = 1
    var nextPingSeq: Int64 = 2

    public init(name: String, deviceID: String, serverURL: String, revokePolicy: RevokePolicy = .keepOutbox) {
        self.name = name
        self.deviceID = deviceID
        self.serverURL = serverURL
        self.revokePolicy = revokePolicy
    }

    public var isLoggedIn: Bool { account != nil && hasToken }
    public var nextDeadline: Int64? { timers.values.min() }

    /// Outbox items this account may send: sealed items of another user wait for that user.
    public var sendableOutbox: [OutboxItem] {
        guard let account else { return [] }
        return outbox.filter { $0.authorID == account.id && $0.state != .failed }
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

public enum Screen: Sendable, Equatable {
    case off
    case login
    case channels
    case channel(String)

    public var name: String {
        switch self {
        case .off: return "off"
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
}

public enum TimerKind: Sendable, Hashable {
    case retry, ping, requestTimeout, clearBanner
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
