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
    case powerOff
    /// Power on finished reading the disk: what the cold-started app finds there.
    case booted(BootSnapshot)

    // What the IO edge reports.
    case response(requestID: Int, Result<APIResult, ClientError>)
    case socketOpened(id: Int)
    case socketClosed(id: Int, reason: String)
    case socketPosted(Post)
    case pingReply(id: Int, seq: Int64, authenticated: Bool)
    case timerFired(TimerKind)
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
    case openSocket(id: Int)
    case closeSocket
    case sendPing(seq: Int64)
    case storeToken(String)
    case wipeToken
    /// Tell the server we are leaving (best effort, with the token the engine still holds).
    case logoutRemotely
    case save(StoreChange)
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
