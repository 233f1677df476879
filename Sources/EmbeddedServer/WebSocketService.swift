import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import MattermostModel

/// `GET /api/v4/websocket`, as Mattermost serves it (api4/websocket.go connectWebSocket, platform/web_conn.go,
/// platform/web_hub.go, platform/websocket_router.go): authentication by the upgrade's token or a challenge,
/// hello only once authenticated, resume of a known connection, ping, and event delivery. A revoked session keeps
/// its socket open but receives nothing and every request fails.
struct WebSocketService: Sendable {
    static let maxMessageBytes = 1 << 16
    static let connectionIDParam = "connection_id"
    static let sequenceNumberParam = "sequence_number"

    let hub: WebSocketHub
    let sessions: SessionService
    let logger: Logger

    var now: Int64 { sessions.clock.nowMillis }

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, request: Request) async {
        guard let (connection, resumeFrom) = await connection(for: request) else {
            // Mattermost closes the socket when a known connection id comes without a usable sequence_number.
            try? await outbound.close(.policyViolation, reason: nil)
            return
        }
        let (stream, attachment) = connection.attach(nowMillis: now, resumed: resumeFrom != nil)
        if let resumeFrom {
            let outcome = connection.resume(from: resumeFrom)
            logger.debug("websocket resumed", metadata: ["outcome": "\(outcome)"])
        } else if let identity = connection.identity {
            // A fresh connection authenticated by the upgrade: registered, so hello at once (Hub.Start, register).
            connection.sendHello(userID: identity.userID)
        }
        guard await hub.add(connection, nowMillis: now) else {
            try? await outbound.close(.goingAway, reason: "server shutting down")
            return
        }
        // Only a socket still to authenticate needs the timer (one sleeping task per socket otherwise).
        let authTimer = connection.identity == nil
            ? Task { await requireAuthentication(connection, within: sessions.config.webSocketAuthTimeout) } : nil
        await withTaskGroup(of: Void.self) { group in
            // The writer ends when the stream does: after a close it was told to send, or on detach below.
            group.addTask { await Self.drain(stream, to: outbound) }
            do {
                for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                    guard case .text(let text) = message else { continue }
                    guard await handle(text, on: connection) else { break }
                }
            } catch {
                logger.debug("websocket read ended", metadata: ["error": "\(error)"])
            }
            authTimer?.cancel()
            connection.detach(attachment)
        }
        // A registered connection stays for a resume; one that never authenticated goes.
        if connection.identity == nil { await hub.remove(connection) }
        await hub.socketEnded()
    }

    /// The connection this upgrade gets, and the sequence number to resume from. `connection_id` counts only when
    /// the upgrade itself carries a live session; an unknown or reaped id gets a fresh connection.
    private func connection(for request: Request) async -> (WebSocketConnection, Int64?)? {
        let session = await upgradeSession(request)
        let fresh = WebSocketConnection(serverVersion: ServerVersion.versionID, nowMillis: now)
        if let session { fresh.authenticate(tokenHash: session.tokenHash, userID: session.userID) }
        let query = request.uri.queryParameters
        guard let session, let requested = query.get(Self.connectionIDParam), !requested.isEmpty else {
            return (fresh, nil)
        }
        // PopulateWebConnConfig: a malformed id is an error (the socket is closed), an unknown one a fresh start.
        guard MattermostID.isValid(requested) else { return nil }
        guard let known = await hub.takeInactive(id: requested, userID: session.userID, nowMillis: now) else {
            return (fresh, nil)
        }
        guard let raw = query.get(Self.sequenceNumberParam), let sequence = Int64(raw), sequence >= 0 else {
            return nil
        }
        known.authenticate(tokenHash: session.tokenHash, userID: session.userID)
        return (known, sequence)
    }

    /// As in Mattermost, a live token on the upgrade request authenticates at once; a bad one is no error here
    /// (the route does not require a session), the socket simply starts unauthenticated.
    private func upgradeSession(_ request: Request) async -> StoredSession? {
        guard let found = AuthToken.find(in: request.headers),
              let session = try? await sessions.liveSession(token: found.token),
              (try? await sessions.store.user(id: session.userID))?.isActive == true else { return nil }
        return session
    }

    private static func drain(_ stream: AsyncStream<WebSocketConnection.Outgoing>,
                              to outbound: WebSocketOutboundWriter) async {
        for await item in stream {
            do {
                switch item {
                case .text(let text):
                    try await outbound.write(.text(text))
                case .close(.shutdown):
                    try await outbound.close(.goingAway, reason: "server shutting down")
                case .close(.authenticationFailed), .close(.notAuthenticatedInTime):
                    // Mattermost drops the connection without a word; a close frame with no reason is the nearest.
                    try await outbound.close(.policyViolation, reason: nil)
                }
            } catch {
                return
            }
        }
    }

    /// `writePump`'s auth ticker: a socket that has not authenticated after `authCheckInterval` is closed.
    private func requireAuthentication(_ connection: WebSocketConnection, within timeout: Duration) async {
        try? await Task.sleep(for: timeout)
        guard !Task.isCancelled, connection.identity == nil else { return }
        logger.debug("websocket did not authenticate in time")
        connection.close(.notAuthenticatedInTime)
    }

    /// One client frame, as `readPump` and `WebSocketRouter.ServeWebSocket` take it. False: close the socket.
    private func handle(_ text: String, on connection: WebSocketConnection) async -> Bool {
        // readPump: a frame that does not decode ends the connection.
        guard let request = try? HTTP.decoder.decode(WebSocketRequest.self, from: Data(text.utf8)) else {
            logger.debug("closing websocket on an undecodable frame")
            connection.close(.authenticationFailed)
            return false
        }
        guard !request.action.isEmpty else {
            fail(request, on: connection, error: Self.routerError("no_action", status: 400))
            return true
        }
        guard request.seq > 0 else {
            fail(request, on: connection, error: Self.routerError("bad_seq", status: 400))
            return true
        }
        if request.action == WebSocketRequest.authenticationChallenge {
            return await challenge(request, on: connection)
        }
        guard await isLive(connection) else {
            fail(request, on: connection, error: Self.notAuthenticated)
            return true
        }
        switch request.action {
        case WebSocketRequest.ping:
            // wsapi/system.go ping.
            connection.reply(WebSocketReply(status: "OK", seqReply: request.seq, data: [
                "text": .string("pong"),
                "version": .string(ServerVersion.version),
                "server_time": .number(Double(now)),
                "node_id": .string(""),
            ]))
        case WebSocketRequest.userTyping:
            await userTyping(request, on: connection)
        default:
            fail(request, on: connection, error: Self.routerError("bad_action", status: 500))
        }
        return true
    }

    /// An authenticated connection ignores a challenge. Otherwise a bad token closes the socket with no reply; a
    /// good one registers the connection (hello, unless it is a resumed one), then the OK reply.
    private func challenge(_ request: WebSocketRequest, on connection: WebSocketConnection) async -> Bool {
        if connection.identity != nil, await isLive(connection) { return true }
        guard let token = request.data?["token"]?.stringValue,
              let session = try? await sessions.liveSession(token: token),
              (try? await sessions.store.user(id: session.userID))?.isActive == true else {
            connection.close(.authenticationFailed)
            return false
        }
        connection.authenticate(tokenHash: session.tokenHash, userID: session.userID)
        if connection.reuseCount == 0 { connection.sendHello(userID: session.userID) }
        connection.reply(WebSocketReply(status: "OK", seqReply: request.seq))
        return true
    }

    /// wsapi/user.go userTyping: extends the session (ExtendSessionExpiryIfNeeded), then, for a member of the
    /// channel, tells its other members (`typing`) and replies OK.
    private func userTyping(_ request: WebSocketRequest, on connection: WebSocketConnection) async {
        guard let identity = connection.identity else { return }
        await sessions.extendExpiryIfNeeded(tokenHash: identity.tokenHash)
        let invalidChannel = AppError(id: "api.websocket_handler.invalid_param.app_error",
                                      message: "Invalid channel_id parameter.", statusCode: 400)
        guard let channelID = request.data?["channel_id"]?.stringValue, MattermostID.isValid(channelID),
              let members = try? await sessions.store.channelMemberIDs(channelID: channelID),
              members.contains(identity.userID) else {
            return fail(request, on: connection, error: invalidChannel)
        }
        let parentID = request.data?["parent_id"]?.stringValue ?? ""
        var broadcast = WebSocketBroadcast(channelID: channelID)
        broadcast.omitUsers = [identity.userID: true]
        await self.broadcast(WebSocketEvent.typing, data: [
            "parent_id": .string(parentID), "user_id": .string(identity.userID),
        ], broadcast: broadcast, to: Set(members).subtracting([identity.userID]))
        connection.reply(WebSocketReply(status: "OK", seqReply: request.seq))
    }

    /// `IsAuthenticated`: the connection's session still exists and has not expired; if not, it forgets it.
    private func isLive(_ connection: WebSocketConnection) async -> Bool {
        guard let identity = connection.identity, !identity.tokenHash.isEmpty else { return false }
        if await sessions.isLive(tokenHash: identity.tokenHash) { return true }
        connection.forgetSession()
        return false
    }

    /// `returnWebSocketError`: the error goes through the hub, so a connection that never registered hears nothing.
    private func fail(_ request: WebSocketRequest, on connection: WebSocketConnection, error: AppError) {
        guard connection.identity != nil else { return }
        connection.reply(WebSocketReply(status: "FAIL", seqReply: request.seq, error: error))
    }

    static var notAuthenticated: AppError {
        AppError(id: ErrorID.wsNotAuthenticated, message: "Not authenticated. Please login again.", statusCode: 401)
    }

    private static func routerError(_ name: String, status: Int) -> AppError {
        let messages = ["no_action": "No websocket action.", "bad_seq": "Invalid sequence for websocket message.",
                        "bad_action": "Invalid websocket action."]
        return AppError(id: "api.web_socket_router.\(name).app_error", message: messages[name] ?? "", statusCode: status)
    }

    /// Sends an event to the connections of `userIDs`, active or awaiting a resume; connections of revoked or
    /// expired sessions are skipped, and one whose send queue overflowed is dropped.
    func broadcast(_ event: String, data: [String: JSONValue], broadcast: WebSocketBroadcast,
                   to userIDs: Set<String>) async {
        for connection in await hub.connections(of: userIDs) where await isLive(connection) {
            if !connection.sendEvent(event, data: data, broadcast: broadcast) { await hub.remove(connection) }
        }
    }

    /// The session's activity reaches its active connections, which keeps them resumable for longer.
    func noteActivity(userID: String, tokenHash: String) async {
        await hub.touch(userID: userID, tokenHash: tokenHash, nowMillis: now)
    }
}
