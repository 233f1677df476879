import Foundation
import HummingbirdWSClient
import HummingbirdWebSocket
import Logging
import MattermostClient
import NIOCore

/// The WebSocket side: a pass-through to the server's socket, frame by frame, under the phone's current profile.
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

    /// Pipes frames both ways until either side closes, or the profile breaks the link.
    func bridge(route: String, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let (closed, closer) = AsyncStream.makeStream(of: Void.self)
        let id = table.withLock { t in
            t.nextBridgeID += 1
            t.bridges[route, default: [:]][t.nextBridgeID] = closer
            return t.nextBridgeID
        }
        defer { _ = table.withLock { t in t.bridges[route]?.removeValue(forKey: id) } }
        let wsUpstream = MattermostClient.WebSocketConnection.url(forBaseURL: upstream)
        let tls = wsUpstream.hasPrefix("wss://") ? trust.tlsConfiguration : nil
        _ = try? await WebSocketClient.connect(url: wsUpstream, configuration: .init(maxFrameSize: 1 << 20), tlsConfiguration: tls,
                                               logger: logger) { serverIn, serverOut, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        try await self.pass(message, route: route, to: serverOut)
                    }
                }
                group.addTask {
                    for try await message in serverIn.messages(maxSize: 1 << 20) {
                        try await self.pass(message, route: route, to: outbound)
                    }
                }
                group.addTask {
                    for await _ in closed {}
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// One frame through the link: on time, late, swallowed, or the end of the connection.
    func pass(_ message: WebSocketMessage, route: String, to writer: WebSocketOutboundWriter) async throws {
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
        switch message {
        case .text(let text): try await writer.write(.text(text))
        case .binary(let buffer): try await writer.write(.binary(buffer))
        }
    }
}
