import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import MattermostModel

/// `GET /api/v4/websocket`: authentication, ping, and event delivery, with Mattermost's revocation
/// behaviour — a revoked session keeps its socket open but receives nothing and every request fails.
struct WebSocketService: Sendable {
    static let serverVersion = "10.11.0"
    static let maxMessageBytes = 1 << 16

    let hub: WebSocketHub
    let sessions: SessionService
    let logger: Logger

    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, request: Request) async {
        let connection = WebSocketConnection()
        guard await hub.add(connection) else {
            try? await outbound.close(.goingAway, reason: "server shutting down")
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Self.drain(connection, to: outbound) }
            // As in Mattermost, a valid token on the upgrade request authenticates at once.
            if let found = AuthToken.find(in: request.headers),
               let session = try? await sessions.liveSession(token: found.token) {
                authenticate(connection, session: session)
            }
            do {
                for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                    guard case .text(let text) = message else { continue }
                    await handle(text, on: connection)
                }
            } catch {
                logger.debug("websocket read ended", metadata: ["error": "\(error)"])
            }
            connection.finish()
        }
        await hub.remove(connection)
    }

    private static func drain(_ connection: WebSocketConnection, to outbound: WebSocketOutboundWriter) async {
        for await item in connection.outgoing {
            do {
                switch item {
                case .text(let text):
                    try await outbound.write(.text(text))
                case .close(.shutdown):
                    try await outbound.close(.goingAway, reason: "server shutting down")
                case .close(.authenticationFailed):
                    try await outbound.close(.policyViolation, reason: "authentication failed")
                }
            } catch {
                return
            }
        }
    }

    private func handle(_ text: String, on connection: WebSocketConnection) async {
        // Frames that are not a request are ignored; a bad client must never bring the server down.
        guard let request = try? HTTP.decoder.decode(WebSocketRequest.self, from: Data(text.utf8)) else {
            logger.debug("ignoring malformed websocket frame")
            return
        }
        switch request.action {
        case WebSocketRequest.authenticationChallenge:
            await challenge(request, on: connection)
        case WebSocketRequest.ping:
            guard await isLive(connection) else { return fail(request, on: connection, error: Self.notAuthenticated) }
            connection.reply(WebSocketReply(status: "OK", seqReply: request.seq, data: [
                "text": .string("pong"),
                "version": .string(Self.serverVersion),
                "server_time": .number(Double(sessions.clock.nowMillis)),
            ]))
        default:
            guard await isLive(connection) else { return fail(request, on: connection, error: Self.notAuthenticated) }
            fail(request, on: connection, error: AppError(id: ErrorID.wsBadAction, message: "Invalid websocket action.",
                                                          statusCode: 501))
        }
    }

    private func challenge(_ request: WebSocketRequest, on connection: WebSocketConnection) async {
        if connection.identity != nil {
            // Mattermost ignores a second challenge; we confirm it so a client waiting for a reply is not stuck.
            return connection.reply(WebSocketReply(status: "OK", seqReply: request.seq))
        }
        guard let token = request.data?["token"]?.stringValue,
              let session = try? await sessions.liveSession(token: token) else {
            fail(request, on: connection, error: Self.notAuthenticated)
            connection.close(.authenticationFailed)
            return
        }
        connection.reply(WebSocketReply(status: "OK", seqReply: request.seq))
        authenticate(connection, session: session)
    }

    private func authenticate(_ connection: WebSocketConnection, session: StoredSession) {
        connection.authenticate(tokenHash: session.tokenHash, userID: session.userID)
        connection.sendEvent(WebSocketEvent.hello, data: [
            "server_version": .string(Self.serverVersion),
            "connection_id": .string(connection.id),
        ], broadcast: WebSocketBroadcast(userID: session.userID))
    }

    private func isLive(_ connection: WebSocketConnection) async -> Bool {
        guard let identity = connection.identity else { return false }
        return await sessions.isLive(tokenHash: identity.tokenHash)
    }

    private func fail(_ request: WebSocketRequest, on connection: WebSocketConnection, error: AppError) {
        connection.reply(WebSocketReply(status: "FAIL", seqReply: request.seq, error: error))
    }

    static var notAuthenticated: AppError {
        AppError(id: ErrorID.wsNotAuthenticated, message: "Not authenticated. Please login again.", statusCode: 401)
    }

    /// Sends an event to the live connections of `userIDs`; connections of revoked or expired sessions are skipped.
    func broadcast(_ event: String, data: [String: JSONValue], broadcast: WebSocketBroadcast,
                   to userIDs: Set<String>) async {
        for connection in await hub.connections(of: userIDs) where await isLive(connection) {
            connection.sendEvent(event, data: data, broadcast: broadcast)
        }
    }
}
