import NIOCore
import NIOPosix
import NIOWebSocket
import Synchronization

/// A WebSocket whose frames are carried as they are, for a relay between a phone and its server (the fault
/// proxy). It upgrades as a phone's own socket does: the request's path and query (a reliable reconnect's
/// `connection_id`), its `Authorization`, and an `Origin` of scheme, host and port. Mattermost, without
/// `AllowCorsFrom`, refuses an upgrade whose Origin host differs from `Host` (gorilla's same-origin check), and
/// HummingbirdWSClient sends `ws://HOST` without the port.
public final class RelayWebSocket: Sendable {
    public enum Message: Sendable, Equatable {
        case text(String)
        case binary(ByteBuffer)
    }

    /// What the server sends; finishes when the connection closes.
    public let messages: AsyncStream<Message>
    private let channel: any NIOCore.Channel

    private init(messages: AsyncStream<Message>, channel: any NIOCore.Channel) {
        self.messages = messages
        self.channel = channel
    }

    /// Connects and upgrades; throws `ClientError.network` when the server cannot be reached or refuses.
    /// `extraHeaders` replace ours of the same name (a test's foreign Origin, a cookie).
    public static func connect(url: String, authorization: String?, trust: ClientTrust = .system,
                               extraHeaders: [(String, String)] = []) async throws(ClientError) -> RelayWebSocket {
        guard let target = WebSocketConnection.Target(url) else { throw .network("invalid WebSocket URL") }
        let sslContext = try WebSocketConnection.tlsContext(for: target, trust: trust)
        let (messages, continuation) = AsyncStream.makeStream(of: Message.self)
        let upgrade = Mutex<EventLoopFuture<WebSocketConnection.Upgrade>?>(nil)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgraded = try WebSocketConnection.configure(channel: channel, target: target, sslContext: sslContext,
                                                                     authorization: authorization,
                                                                     extraHeaders: extraHeaders) {
                        RelayFrameHandler(continuation)
                    }
                    upgrade.withLock { $0 = upgraded }
                }
            }
        do {
            let channel = try await bootstrap.connect(host: target.host, port: target.port).get()
            channel.closeFuture.whenComplete { _ in continuation.finish() }
            guard let upgraded = upgrade.withLock({ $0 }), try await upgraded.get() == .websocket else {
                try? await channel.close()
                throw ClientError.network("webSocketUpgradeFailed")
            }
            return RelayWebSocket(messages: messages, channel: channel)
        } catch let error as ClientError {
            continuation.finish()
            throw error
        } catch {
            continuation.finish()
            throw .network(WebSocketConnection.describe(error))
        }
    }

    public func send(_ message: Message) async throws {
        let frame: NIOWebSocket.WebSocketFrame
        switch message {
        case .text(let text):
            frame = NIOWebSocket.WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: channel.allocator.buffer(string: text))
        case .binary(let buffer):
            frame = NIOWebSocket.WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: buffer)
        }
        try await channel.writeAndFlush(frame)
    }

    /// A close frame, then the connection.
    public func close() {
        let channel = self.channel
        let frame = WebSocketConnection.closeFrame(code: .normalClosure, allocator: channel.allocator)
        channel.writeAndFlush(frame).whenComplete { (_: Result<Void, any Error>) in channel.close(promise: nil) }
    }
}

/// Text and binary frames into the relay's stream; pings answered; a server's close echoed.
final class RelayFrameHandler: ChannelInboundHandler {
    typealias InboundIn = NIOWebSocket.WebSocketFrame
    typealias OutboundOut = NIOWebSocket.WebSocketFrame

    private let continuation: AsyncStream<RelayWebSocket.Message>.Continuation
    private var closeSent = false

    init(_ continuation: AsyncStream<RelayWebSocket.Message>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text: continuation.yield(.text(String(buffer: frame.unmaskedData)))
        case .binary: continuation.yield(.binary(frame.unmaskedData))
        default: ControlFrames.handle(frame, context: context, closeSent: &closeSent)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
