import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import MattermostModel
import NIOCore
import NIOHTTP1

/// The server's connections, with limits the stock HTTP/1 + WebSocket channel lacks: a request must arrive
/// whole within `requestTimeout`, an idle keep-alive connection closes after `idleTimeout`, a request that
/// cannot be parsed gets a 400 AppError and the connection closes, and HTTP/1.0 (or `Connection: close`)
/// closes after its response. Without these, a garbage or half-sent first request kept its connection open
/// for good (the upgrade negotiation waited forever for a request head that would never parse).
struct GuardedHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let base: HTTP1WebSocketUpgradeChannel
    let requestTimeout: TimeAmount

    func setup(channel: any NIOCore.Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let deadline = RequestDeadline(timeout: requestTimeout)
            // Just before the HTTP encoder: after TLS when there is TLS, so it sees and writes plain bytes.
            let encoder = try channel.pipeline.syncOperations.handler(type: HTTPResponseEncoder.self)
            try channel.pipeline.syncOperations.addHandler(deadline, position: .before(encoder))
            try channel.pipeline.syncOperations.addHandler(RequestHeadGuard(deadline: deadline))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        // A connection that closes before its first request (a timeout, a refusal, a port scan) ends the upgrade
        // negotiation with an error the base channel logs at error level, one line per connection: not a fault.
        var quiet = logger
        quiet.logLevel = .critical
        await base.handle(value: value, logger: quiet)
        // However the exchange ended (the client's close, a refused upgrade, `Connection: close`), the server
        // does not wait for the client to close its side too.
        value.channel.close(promise: nil)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with WebSocket upgrade, guarded as `GuardedHTTPChannel` says.
    static func guardedHTTP1WebSocketUpgrade(webSocketRouter: Router<BasicWebSocketRequestContext>,
                                             limits: ServerConfiguration.ConnectionLimits) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: .init(limits.idleTimeout),
                         httpDecoderConfiguration: .init(maxHeaderFieldSize: limits.maxHeaderBytes,
                                                         maxHeaderListSize: limits.maxHeaderBytes)))
        return HTTPServerBuilder { responder in
            let base = HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                    configuration: configuration)
            return GuardedHTTPChannel(base: base, requestTimeout: .init(limits.requestTimeout))
        }
    }
}

/// Below the HTTP codec, on raw bytes: from the first byte of a request until the first byte of its response,
/// at most `timeout`; past it the connection closes (a slow or stalled client cannot hold it). Between requests
/// Hummingbird's idle timeout applies; after a WebSocket upgrade, the socket's own pings do.
final class RequestDeadline: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    // @unchecked: all state is touched on the channel's event loop only.
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Any

    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if timer == nil { arm(context) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        disarm()
        context.write(data, promise: promise)
    }

    /// Writes a complete response past the HTTP encoder (which would drop the body of any answer to a CONNECT)
    /// and closes.
    func respondAndClose(_ response: ByteBuffer) {
        guard let context else { return }
        disarm()
        let channel = context.channel
        context.writeAndFlush(NIOAny(response)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// The connection became a WebSocket: no request deadline from now on.
    func upgraded() {
        guard let context else { return }
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}

/// Between NIO's HTTP decoder and Hummingbird, on parsed request parts. Answers a first request that cannot
/// be parsed (garbage, an unknown method, a bad Content-Length, an oversized header, an HTTP/2 preface) with
/// a 400 AppError and closes; later parse errors go on to Hummingbird, which answers 400 and closes. Marks a
/// request that asks for no keep-alive (HTTP/1.0 without `keep-alive`) `Connection: close`, the one spelling
/// Hummingbird ends a connection on.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    // @unchecked: all state is touched on the channel's event loop only.
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let deadline: RequestDeadline
    private var sawRequest = false
    private var refused = false

    init(deadline: RequestDeadline) { self.deadline = deadline }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        sawRequest = true
        // This is no proxy; and past this point a CONNECT's answer would lose its body on the way out.
        if head.method == .CONNECT { return refuse(context, APIErrors.methodNotAllowed(path: head.uri), .methodNotAllowed) }
        if !head.isKeepAlive { head.headers.replaceOrAdd(name: "connection", value: "close") }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case HTTPServerUpgradeEvents.upgradeComplete = event {
            // From here on WebSocket frames pass: neither guard applies.
            deadline.upgraded()
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !refused else { return }
        guard !sawRequest, error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        sawRequest = true
        refuse(context, APIErrors.unparsableRequest, .badRequest)
    }

    /// Answers with `error` and closes, ignoring whatever else the client sends.
    private func refuse(_ context: ChannelHandlerContext, _ error: AppError, _ status: HTTPResponseStatus) {
        refused = true
        var error = error
        error.requestID = MattermostID.new()
        let body = (try? HTTP.encoder.encode(error)) ?? Data("{}".utf8)
        var response = ByteBuffer()
        response.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\n"
                             + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n")
        response.writeBytes(body)
        deadline.respondAndClose(response)
    }
}
