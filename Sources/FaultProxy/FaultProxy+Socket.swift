import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import MattermostClient
import NIOCore

/// The WebSocket side: a pass-through to the server's socket, frame by frame, under the phone's current profile.
extension WebSocketMessage {
    var outboundFrame: WebSocketOutboundWriter.OutboundFrame {
        switch self {
        case .text(let text): .text(text)
        case .binary(let buffer): .binary(buffer)
        }
    }
}

extension FaultProxy {
    /// The upgrade itself meets the profile: refused, held, delayed, or let through.
    func shouldUpgrade(route: String) async -> RouterShouldUpgrade {
        switch profile(route) {
        case .online:
            return .upgrade([:])
        case .slow3g:
            let deadline = clock.nowMillis + NetworkProfile.slow3gLatencyMillis
            return await holds.hold(route: route, kind: .socket, until: deadline) ? .upgrade([:]) : .dontUpgrade
        case .blackhole:
            _ = await holds.hold(route: route, kind: .socket, until: nil)
            return .dontUpgrade
        case .lossy:
            return lose() ? .dontUpgrade : .upgrade([:])
        case .unreachable, .reset, .captivePortal, .server5xx, .truncated:
            // Not upgraded: the plain HTTP route answers it with the profile's fault.
            return .dontUpgrade
        }
    }

    /// Pipes frames both ways until either side closes, or the profile breaks the link. The server's socket is
    /// opened as the phone asked for it: its query (a reliable reconnect's `connection_id`) and `Authorization`.
    func bridge(route: String, upgrade request: Request, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let (closed, closer) = AsyncStream.makeStream(of: Void.self)
        let id = table.withLock { t in
            t.nextBridgeID += 1
            t.bridges[route, default: [:]][t.nextBridgeID] = closer
            return t.nextBridgeID
        }
        defer { _ = table.withLock { t in t.bridges[route]?.removeValue(forKey: id) } }
        let query = request.uri.query.map { "?\($0)" } ?? ""
        let url = MattermostClient.WebSocketConnection.url(forBaseURL: upstream) + query
        let server: RelayWebSocket
        do throws(ClientError) {
            server = try await RelayWebSocket.connect(url: url, authorization: request.headers[.authorization], trust: trust)
        } catch {
            return
        }
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    try await self.pass(message, route: route) { message in
                        switch message {
                        case .text(let text): try await server.send(.text(text))
                        case .binary(let buffer): try await server.send(.binary(buffer))
                        }
                    }
                }
            }
            group.addTask {
                for await message in server.messages {
                    let forwarded: WebSocketMessage = switch message {
                    case .text(let text): .text(text)
                    case .binary(let buffer): .binary(buffer)
                    }
                    try await self.pass(forwarded, route: route) { try await outbound.write($0.outboundFrame) }
                }
            }
            group.addTask {
                for await _ in closed {}
            }
            _ = try? await group.next()
            group.cancelAll()
        }
        server.close()
    }

    /// One frame through the link: on time, late, swallowed, or the end of the connection.
    func pass(_ message: WebSocketMessage, route: String, deliver: (WebSocketMessage) async throws -> Void) async throws {
        let bytes: Int
        switch message {
        case .text(let text): bytes = text.utf8.count
        case .binary(let buffer): bytes = buffer.readableBytes
        }
        switch profile(route) {
        case .online:
            break
        case .slow3g:
            let deadline = clock.nowMillis + NetworkProfile.slow3gLatencyMillis / 2 + Self.transferMillis(bytes)
            guard await holds.hold(route: route, kind: .socket, until: deadline) else { throw ConnectionDropped() }
        case .blackhole:
            return
        case .lossy:
            if lose() { throw ConnectionDropped() }
        case .unreachable, .reset, .captivePortal, .server5xx, .truncated:
            throw ConnectionDropped()
        }
        try await deliver(message)
    }
}
