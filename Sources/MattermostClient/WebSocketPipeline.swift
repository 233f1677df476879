import Foundation
import MattermostModel
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOWebSocket
import Synchronization

/// The NIO end of a `WebSocketConnection`: frames are handled as they arrive on the event loop, with no task
/// parked per socket. Text frames are decoded here and posted to the connection's mailbox; pings are answered;
/// a close from the server is echoed and the channel closed.
final class WebSocketFrameHandler: ChannelInboundHandler {
    typealias InboundIn = NIOWebSocket.WebSocketFrame
    typealias OutboundOut = NIOWebSocket.WebSocketFrame

    private let onFrame: @Sendable (MattermostModel.WebSocketFrame) -> Void
    private let onError: @Sendable (any Error) -> Void
    private var closeSent = false

    init(onFrame: @escaping @Sendable (MattermostModel.WebSocketFrame) -> Void, onError: @escaping @Sendable (any Error) -> Void) {
        self.onFrame = onFrame
        self.onError = onError
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let payload = frame.unmaskedData
            if let decoded = MattermostModel.WebSocketFrame.decode(String(buffer: payload)) { onFrame(decoded) }
        default:
            ControlFrames.handle(frame, context: context, closeSent: &closeSent)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onError(error)
        context.close(promise: nil)
    }
}

/// What every client socket of ours does with control frames: a ping answered, a peer's close echoed and the
/// channel closed (at once when ours was sent first).
enum ControlFrames {
    static func handle(_ frame: NIOWebSocket.WebSocketFrame, context: ChannelHandlerContext, closeSent: inout Bool) {
        switch frame.opcode {
        case .ping:
            let pong = NIOWebSocket.WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(NIOAny(pong), promise: nil)
        case .connectionClose:
            guard !closeSent else {
                context.close(promise: nil)
                return
            }
            closeSent = true
            var payload = frame.unmaskedData
            let code = payload.readWebSocketErrorCode() ?? .normalClosure
            let reply = WebSocketConnection.closeFrame(code: code, allocator: context.channel.allocator)
            let channel = context.channel
            context.writeAndFlush(NIOAny(reply)).whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }
}

extension WebSocketConnection {
    enum Upgrade: Sendable { case websocket, refused }

    static func closeFrame(code: WebSocketErrorCode, allocator: ByteBufferAllocator) -> NIOWebSocket.WebSocketFrame {
        var data = allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        return NIOWebSocket.WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)
    }

    /// TLS (wss), then the HTTP upgrade request; on 101 the WebSocket codec and our frame handler.
    static func configure(channel: any NIOCore.Channel, target: Target, sslContext: NIOSSLContext?,
                          authorization: String? = nil, extraHeaders: [(String, String)] = [],
                          handler: @escaping @Sendable () -> any ChannelHandler) throws -> EventLoopFuture<Upgrade> {
        let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: maxFrameSize) { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                let aggregator = NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64,
                                                             maxAccumulatedFrameSize: maxFrameSize)
                try channel.pipeline.syncOperations.addHandlers([aggregator, handler()])
                return .websocket
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: "Origin", value: target.origin)
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        // An extra Origin stands in for ours, never beside it: a server reads the first.
        for (name, value) in extraHeaders { headers.replaceOrAdd(name: name, value: value) }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.path, headers: headers)
        let upgrade = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
            upgradeRequestHead: head, upgraders: [upgrader],
            notUpgradingCompletionHandler: { $0.eventLoop.makeSucceededFuture(.refused) })
        var configuration = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: upgrade)
        configuration.leftOverBytesStrategy = .forwardBytes
        if let sslContext {
            let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: target.host)
            try channel.pipeline.syncOperations.addHandler(tls, position: .first)
        }
        return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
    }

    static let maxFrameSize = 1 << 20

    /// Where the socket goes, from its ws:// or wss:// URL.
    struct Target: Sendable {
        var host: String
        var port: Int
        var path: String
        var tls: Bool
        var hostHeader: String
        var origin: String

        init?(_ url: String) {
            guard let parsed = URLComponents(string: url), let scheme = parsed.scheme, let host = parsed.host,
                  scheme == "ws" || scheme == "wss" else { return nil }
            tls = scheme == "wss"
            self.host = host
            let defaultPort = tls ? 443 : 80
            port = parsed.port ?? defaultPort
            let query = parsed.percentEncodedQuery.map { "?\($0)" } ?? ""
            path = (parsed.percentEncodedPath.isEmpty ? "/" : parsed.percentEncodedPath) + query
            hostHeader = port == defaultPort ? host : "\(host):\(port)"
            origin = (tls ? "https://" : "http://") + hostHeader
        }
    }

    /// One TLS context per trust: building one loads the roots, too dear for every socket.
    static func sslContext(for trust: ClientTrust) throws -> NIOSSLContext {
        try sslContexts.withLock { contexts in
            if let context = contexts[trust] { return context }
            let context = try NIOSSLContext(configuration: trust.tlsConfiguration)
            contexts[trust] = context
            return context
        }
    }

    private static let sslContexts = Mutex<[ClientTrust: NIOSSLContext]>([:])
}
