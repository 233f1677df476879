import MattermostClient
import MattermostModel

/// Everything that can happen to a phone: what its user and the OS do, and what the network answers.
public enum DeviceEvent: Sendable {
    // The person holding the phone.
    case setAirplane(Bool)
    /// The link's quality changed; `pathChanged`: requests now take another way (old connections are gone).
    case networkChanged(NetworkProfile, pathChanged: Bool)
    case typeUsername(String)
    case typePassword(String)
    case focus(LoginForm.Field)
    case submitLogin
    case logout
    case compose(channelID: String, text: String, pendingPostID: String)
    case openChannel(String)
    case back
    /// The app leaves the screen (home button, another app) or comes back to it.
    case background
    case foreground
    /// "Connect" on the server screen: on to the login screen.
    case connectServer
    /// "Try Again" on a failed message.
    case retryPost(pendingPostID: String)
    /// Another app model, chosen on a logged-out phone.
    case setApp(AppModel)
    case powerOff
    /// Power on finished reading the disk: what the cold-started app finds there.
    case booted(BootSnapshot)

    // What the IO edge reports.
    case response(requestID: Int, Result<APIResult, ClientError>)
    /// The WebSocket upgrade succeeded and the challenge went out (not yet authenticated).
    case socketUpgraded(id: Int)
    /// `hello`: the server authenticated the socket; `connectionID` names it for a resume.
    case socketHello(id: Int, connectionID: String)
    case socketClosed(id: Int, reason: String)
    case socketPosted(Post, seq: Int64 = 0)
    /// The server answered the authentication challenge with an error.
    case challengeRefused(id: Int)
    case pingReply(id: Int, seq: Int64, authenticated: Bool)
    case timerFired(TimerKind)
    /// The disk refused a write (`what`: "token", "outbox", …); the data stays in memory and is retried.
    case diskWriteFailed(what: String, reason: String)
    /// Every write kept in memory is on disk now.
    case diskWritesSaved
    /// Something the IO edge noticed and the timeline should tell (a corrupt cache file, say).
    case note(Timeline.Kind, String)
}

/// What a cold start reads from the token cache and the local store.
public struct BootSnapshot: Sendable, Equatable {
    public var hasToken: Bool
    public var account: User?
    public var team: Team?
    public var channels: [Channel]
    public var posts: [String: [Post]]
    public var outbox: [OutboxItem]
    public var lastUsername: String

    public init(hasToken: Bool = false, account: User? = nil, team: Team? = nil, channels: [Channel] = [],
                posts: [String: [Post]] = [:], outbox: [OutboxItem] = [], lastUsername: String = "") {
        self.hasToken = hasToken
        self.account = account
        self.team = team
        self.channels = channels
        self.posts = posts
        self.outbox = outbox
        self.lastUsername = lastUsername
    }
}

/// What the core asks the IO edge to do.
public enum DeviceEffect: Sendable, Equatable {
    /// Send a request; `password` only for a login, and never kept in state.
    case request(InFlightRequest, password: String?)
    case cancelRequest
    /// `resume`: the connection id and last event seen, for a reliable-websocket reconnect.
    case openSocket(id: Int, resume: WebSocketResume?, tokenOnUpgrade: Bool)
    case closeSocket
    case sendPing(seq: Int64)
    case storeToken(String)
    case wipeToken
    /// Tell the server we are leaving (best effort, with the token the engine still holds).
    case logoutRemotely
    case save(StoreChange)
    /// Try again the writes the disk refused.
    case retryUnsavedWrites
}

public enum StoreChange: Sendable, Equatable {
    case account(User)
    case team(Team)
    case channels([Channel])
    case posts([Post])
    case outboxPut(OutboxItem)
    case outboxRemove(pendingPostID: String)
    case lastUsername(String)
    /// Forget everything of this server; the outbox survives when `keepOutbox`.
    case wipeServer(keepOutbox: Bool)
}

/// What a reconnect asks the server to resume (`?connection_id=…&sequence_number=…`).
public struct WebSocketResume: Sendable, Equatable {
    public var connectionID: String
    public var sequenceNumber: Int64

    public init(connectionID: String, sequenceNumber: Int64) {
        self.connectionID = connectionID
        self.sequenceNumber = sequenceNumber
    }
}

extension DeviceEvent {
    /// What a person does inside the app (as opposed to the radio, the power button or the network answering).
    var isTouchingTheApp: Bool {
        switch self {
        case .typeUsername, .typePassword, .focus, .submitLogin, .logout, .compose, .openChannel, .back, .connectServer,
             .retryPost:
            return true
        default:
            return false
        }
    }
}
