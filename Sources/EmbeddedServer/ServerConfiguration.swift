import Foundation
import MattermostModel

/// How an embedded server runs. Defaults mirror a stock Mattermost server where one exists.
public struct ServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 asks the OS for any free port; read the bound one from `EmbeddedServer.port`.
    public var port: Int = 8065
    /// nil keeps everything in an in-memory SQLite database (tests, headless runs).
    public var dataDirectory: URL?
    /// Mattermost's `SessionLengthMobileInHours`.
    public var sessionLengthMobileHours: Int = 720
    /// Mattermost uses 10; in-process runs may pass 4 so that logins stay fast.
    public var bcryptCost: UInt8 = 10
    public var clock: SimClock = SimClock()
    public var maxBodyBytes: Int = 1 << 20
    /// Mattermost's `ServiceSettings.MaximumLoginAttempts`: wrong passwords before the account locks.
    public var maximumLoginAttempts: Int = 10
    /// nil: plain HTTP. Set: https and wss only, and `baseURL` names `localhost` for a loopback or wildcard bind
    /// (certificates name hosts, and NIOSSL sends no IP address as SNI).
    public var tls: ServerTLS?
    /// Mattermost's `ServiceSettings.ExtendSessionLengthWithActivity` (true on a new install).
    public var extendSessionLengthWithActivity = true
    /// Mattermost's `ServiceSettings.TerminateSessionsOnPasswordChange` (true on a new install): a password change
    /// ends the user's other sessions.
    public var terminateSessionsOnPasswordChange = true
    /// Mattermost's `TeamSettings.EnableUserDeactivation` (false by default): may users deactivate themselves?
    public var enableUserDeactivation = false
    /// `authCheckInterval` (platform/web_conn.go): a WebSocket that has not authenticated by then is closed.
    public var webSocketAuthTimeout: Duration = .seconds(5)
    /// How long a connection may take and hold: see `ConnectionLimits`.
    public var connectionLimits = ConnectionLimits()
    /// Sees every session token the server issues, for in-process secrecy tests that search outputs for them.
    public var onTokenIssued: (@Sendable (String) -> Void)?

    public init(host: String = "127.0.0.1", port: Int = 8065, dataDirectory: URL? = nil,
                sessionLengthMobileHours: Int = 720, bcryptCost: UInt8 = 10, clock: SimClock = SimClock(),
                maxBodyBytes: Int = 1 << 20) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.sessionLengthMobileHours = sessionLengthMobileHours
        self.bcryptCost = bcryptCost
        self.clock = clock
        self.maxBodyBytes = maxBodyBytes
    }

    /// Bounds on what one connection can cost the server.
    public struct ConnectionLimits: Sendable {
        /// From a request's first byte to its response's first byte (Go's ReadTimeout, which Mattermost sets).
        public var requestTimeout: Duration = .seconds(30)
        /// A keep-alive connection with no request in progress (Mattermost's IdleTimeout default, 60 s).
        public var idleTimeout: Duration = .seconds(60)
        /// The request line and headers together: past it, a 400 and the connection closes.
        public var maxHeaderBytes = 64 * 1024

        public init(requestTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60),
                    maxHeaderBytes: Int = 64 * 1024) {
            self.requestTimeout = requestTimeout
            self.idleTimeout = idleTimeout
            self.maxHeaderBytes = maxHeaderBytes
        }
    }

    var sessionLengthMillis: Int64 { Int64(max(sessionLengthMobileHours, 1)) * 3_600_000 }

    /// bcrypt accepts 4...31; anything else would trap inside the library.
    var effectiveBcryptCost: UInt8 { min(max(bcryptCost, 4), 31) }
}
