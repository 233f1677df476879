import AsyncHTTPClient
import Foundation
@_exported import MattermostModel
import NIOCore
import NIOHTTP1
import NIOSSL

/// Mattermost API v4 as async functions. Stateless and cheap to copy: one shared `HTTPClient` serves every phone.
/// The token is passed per call and never logged.
public struct MattermostAPI: Sendable {
    public let baseURL: String
    /// The CAs this API's https (and its phone's wss) trusts; the HTTP client is the shared one of that trust.
    public let trust: ClientTrust
    let http: HTTPClient
    let timeout: TimeAmount
    static let maxResponseBytes = 8 << 20

    /// - Parameter timeout: a backstop in real time; phones enforce their own timeouts on the simulation clock.
    public init(baseURL: String, trust: ClientTrust = .system, timeout: TimeAmount = .seconds(60)) {
        self.init(baseURL: baseURL, http: trust.httpClient, trust: trust, timeout: timeout)
    }

    public init(baseURL: String, http: HTTPClient, trust: ClientTrust = .system, timeout: TimeAmount = .seconds(60)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.trust = trust
        self.http = http
        self.timeout = timeout
    }

    /// The same client and trust towards another address (a phone's fault-proxy route).
    public func rebased(to baseURL: String) -> MattermostAPI {
        MattermostAPI(baseURL: baseURL, http: http, trust: trust, timeout: timeout)
    }

    /// One client for every phone of the process (system roots; see `ClientTrust.httpClient` for `--ca-file`).
    public static let sharedHTTPClient = makeHTTPClient(tls: ClientTrust.system.tlsConfiguration)

    /// A refused connection fails at once instead of being retried inside the pool until the deadline: the
    /// phone's own backoff decides when to try again. Redirects are never followed: Mattermost's API does not
    /// redirect, so a 3xx is something in between (a captive portal), and what it leads to is not the server's word.
    static func makeHTTPClient(tls: TLSConfiguration, connectionsPerHost: Int? = nil) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        if let connectionsPerHost { configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connectionsPerHost }
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        configuration.tlsConfiguration = tls
        // No tracer is ever installed; without this, every request still parses its URL for span attributes
        // (~3% of a fleet's phone-side CPU).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    // MARK: Users and sessions

    public struct LoginResult: Sendable {
        public var user: User
        public var token: String
    }

    public func login(loginID: String, password: String, deviceID: String?) async throws(ClientError) -> LoginResult {
        let body = LoginRequest(loginID: loginID, password: password, deviceID: deviceID)
        let (response, bytes) = try await send(.POST, APIPath.login, token: nil, body: body)
        let user: User = try decode(bytes)
        guard let token = response.headers.first(name: APIPath.tokenHeader), !token.isEmpty else {
            throw .malformed("login answered without a Token header")
        }
        return LoginResult(user: user, token: token)
    }

    public func logout(token: String) async throws(ClientError) {
        let _: StatusOK = try await call(.POST, APIPath.logout, token: token, body: Empty?.none)
    }

    public func me(token: String) async throws(ClientError) -> User {
        try await call(.GET, APIPath.me, token: token)
    }

    public func users(token: String, page: Int = 0, perPage: Int = 200) async throws(ClientError) -> [User] {
        try await call(.GET, "\(APIPath.users)?page=\(page)&per_page=\(perPage)", token: token)
    }

    /// System Console's lookup of one user by name (Mattermost usernames are lower case).
    public func user(username: String, token: String) async throws(ClientError) -> User {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-._~")
        let segment = username.lowercased().addingPercentEncoding(withAllowedCharacters: unreserved) ?? username
        return try await call(.GET, APIPath.user(username: segment), token: token)
    }

    public func sessions(token: String, userID: String) async throws(ClientError) -> [Session] {
        try await call(.GET, APIPath.sessions(userID), token: token)
    }

    public func revokeSession(token: String, userID: String, sessionID: String) async throws(ClientError) {
        let _: StatusOK = try await call(.POST, APIPath.revokeSession(userID), token: token,
                                         body: RevokeSessionRequest(sessionID: sessionID))
    }

    public func revokeAllSessions(token: String, userID: String) async throws(ClientError) {
        let _: StatusOK = try await call(.POST, APIPath.revokeAllOfUser(userID), token: token, body: Empty?.none)
    }

    /// System Console › Users › Revoke All Sessions. Ends the caller's own session too.
    public func revokeAllSessionsInSystem(token: String) async throws(ClientError) {
        let _: StatusOK = try await call(.POST, APIPath.revokeAllInSystem, token: token, body: Empty?.none)
    }

    public func setActive(token: String, userID: String, active: Bool) async throws(ClientError) {
        let _: StatusOK = try await call(.PUT, APIPath.active(userID), token: token, body: UpdateActiveRequest(active: active))
    }

    /// System Console › Users › Reset password (admin: no current password). Also clears a login lockout, and
    /// the server ends that user's sessions. For one's own password pass `currentPassword`.
    public func resetPassword(token: String, userID: String, newPassword: String,
                              currentPassword: String? = nil) async throws(ClientError) {
        let body = UpdatePasswordRequest(newPassword: newPassword, currentPassword: currentPassword)
        let _: StatusOK = try await call(.PUT, APIPath.password(userID), token: token, body: body)
    }

    public func ping() async throws(ClientError) {
        let _: StatusOK = try await call(.GET, APIPath.ping, token: nil)
    }

    // MARK: What a phone shows

    public func myTeams(token: String) async throws(ClientError) -> [Team] {
        try await call(.GET, APIPath.myTeams, token: token)
    }

    public func myChannels(token: String, teamID: String) async throws(ClientError) -> [MattermostModel.Channel] {
        try await call(.GET, APIPath.myChannels(team: teamID), token: token)
    }

    public func posts(token: String, channelID: String, since: Int64?) async throws(ClientError) -> PostList {
        let query = since.map { "?since=\($0)" } ?? ""
        return try await call(.GET, APIPath.channelPosts(channelID) + query, token: token)
    }

    /// One page of a channel's posts, newest first (`?page=&per_page=`; Mattermost allows up to 200 a page).
    public func postsPage(token: String, channelID: String, page: Int, perPage: Int) async throws(ClientError) -> PostList {
        try await call(.GET, APIPath.channelPosts(channelID) + "?page=\(page)&per_page=\(perPage)", token: token)
    }

    /// Every post of a channel, page after page until a short one.
    public func allPosts(token: String, channelID: String) async throws(ClientError) -> [Post] {
        let perPage = 200
        var posts: [Post] = []
        for page in 0... {
            let list = try await postsPage(token: token, channelID: channelID, page: page, perPage: perPage)
            posts += list.order.compactMap { list.posts[$0] }
            if list.order.count < perPage { break }
        }
        return posts
    }

    public func createPost(token: String, _ post: CreatePostRequest) async throws(ClientError) -> Post {
        try await call(.POST, APIPath.posts, token: token, body: post)
    }

    // MARK: What the mobile app fetches on entry and when a channel opens

    /// `GET /config/client?format=old`. Needs no session: without one (or with a revoked one) the server sends its
    /// limited config, never a 401.
    public func clientConfig(token: String? = nil) async throws(ClientError) -> ClientConfig {
        try await call(.GET, APIPath.clientConfig, token: token)
    }

    /// `GET /license/client?format=old`. Needs no session either.
    public func clientLicense(token: String? = nil) async throws(ClientError) -> ClientLicense {
        try await call(.GET, APIPath.clientLicense, token: token)
    }

    public func myPreferences(token: String) async throws(ClientError) -> [Preference] {
        try await call(.GET, APIPath.myPreferences, token: token)
    }

    /// `GET /users/me/sessions`: what the app calls when it goes inactive (session_manager.ts).
    public func mySessions(token: String) async throws(ClientError) -> [Session] {
        try await call(.GET, APIPath.mySessions, token: token)
    }

    public func myTeamMembers(token: String) async throws(ClientError) -> [TeamMember] {
        try await call(.GET, APIPath.myTeamMembers, token: token)
    }

    public func myChannelMembers(token: String, teamID: String) async throws(ClientError) -> [ChannelMember] {
        try await call(.GET, APIPath.myChannelMembers(team: teamID), token: token)
    }

    /// `POST /channels/members/me/view`, as the app's markChannelAsRead sends it.
    public func viewChannel(token: String, channelID: String,
                            prevChannelID: String = "") async throws(ClientError) -> ChannelViewResponse {
        try await call(.POST, APIPath.viewChannel, token: token,
                       body: ChannelViewRequest(channelID: channelID, prevChannelID: prevChannelID))
    }

    // MARK: Transport

    struct Empty: Codable, Sendable {}

    func call<Response: Decodable>(_ method: HTTPMethod, _ path: String, token: String?) async throws(ClientError) -> Response {
        try await call(method, path, token: token, body: Empty?.none)
    }

    func call<Response: Decodable, Body: Encodable>(
        _ method: HTTPMethod, _ path: String, token: String?, body: Body?
    ) async throws(ClientError) -> Response {
        let (_, bytes) = try await send(method, path, token: token, body: body)
        return try decode(bytes)
    }

    func send<Body: Encodable>(
        _ method: HTTPMethod, _ path: String, token: String?, body: Body?
    ) async throws(ClientError) -> (HTTPClientResponse, ByteBuffer) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "User-Agent", value: "mmsim/0.1 (Mattermost mobile simulator)")
        request.headers.add(name: "X-Requested-With", value: "XMLHttpRequest")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            guard let data = try? Self.encoder.encode(body) else { throw .malformed("request body did not encode") }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch {
            throw .network(Self.describe(error))
        }
        let status = Int(response.status.code)
        switch status {
        case 200..<300: return (response, bytes)
        case 300..<400: throw .network(Self.redirected)
        case 401:
            // Only Mattermost's own 401 says the session is gone; anything else answering 401 is not the server.
            guard let error = try? decode(bytes) as AppError, !error.id.isEmpty else { throw .network(Self.foreign401) }
            throw .unauthorized(error)
        case 403: throw .forbidden(try? decode(bytes) as AppError)
        case 400..<500: throw .rejected(status: status, try? decode(bytes) as AppError)
        default: throw .server(status: status)
        }
    }

    static let redirected = "not reachable: redirected (captive portal?)"
    static let foreign401 = "not reachable: a 401 without Mattermost's error body (captive portal?)"

    /// One of each for the process (both are thread-safe): building them per call showed in fleet profiles.
    static let decoder = JSONDecoder()
    static let encoder = JSONEncoder()

    func decode<T: Decodable>(_ bytes: ByteBuffer) throws(ClientError) -> T {
        do {
            return try Self.decoder.decode(T.self, from: Data(bytes.readableBytesView))
        } catch {
            let preview = String(decoding: bytes.readableBytesView.prefix(40), as: UTF8.self)
            throw .malformed("expected \(T.self) JSON, got \(bytes.readableBytes) bytes starting \(preview.debugDescription)")
        }
    }

    /// A short, token-free reason for a transport failure.
    static func describe(_ error: Error) -> String {
        if let tls = ClientTrust.describeFailure(error) { return tls }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout"
            case .remoteConnectionClosed: return "connection closed"
            case .cancelled: return "cancelled"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        if text.contains("reset") || text.contains("ECONNRESET") { return "connection reset" }
        return String(text.prefix(120))
    }
}
