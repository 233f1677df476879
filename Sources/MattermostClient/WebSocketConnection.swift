import Foundation
import MattermostModel
import NIOCore
import NIOPosix
import NIOSSL
import NIOWebSocket
import Synchronization

/// One Mattermost WebSocket: authenticates with a challenge, then hands every frame to its receiver and sends
/// what `send` is given. Event-driven on NIO: an open, quiet socket costs its channel and nothing else (no
/// task waits on it), which is what lets ten thousand phones idle in one process.
public final class WebSocketConnection: Sendable {
    public enum Event: Sendable {
        /// The upgrade succeeded and the challenge went out; the server has not authenticated anything yet.
        case opened
        case frame(MattermostModel.WebSocketFrame)
        /// The socket is gone; `reason` as the timeline shows it. Always the last event, exactly once.
        case closed(reason: String)
    }

    public let url: String
    let trust: ClientTrust

    private struct State {
        var channel: (any NIOCore.Channel)?
        /// Sent once the upgrade is done (after the challenge), as they were queued.
        var pending: [String] = []
        var closing = false
        var failure: String?
    }

    private let state = Mutex(State())

    public init(baseURL: String, trust: ClientTrust = .system) {
        self.url = Self.url(forBaseURL: baseURL)
        self.trust = trust
    }

    /// Mattermost's WebSocket endpoint for a server's http(s) base URL.
    public static func url(forBaseURL baseURL: String) -> String {
        baseURL.replacingOccurrences(of: "http://", with: "ws://").replacingOccurrences(of: "https://", with: "wss://")
            + APIPath.websocket
    }

    /// The reason of a `.closed` event when the server ended the socket cleanly.
    static let closedByServer = "closed by the server"

    public func send(_ request: WebSocketRequest) {
        guard let data = try? MattermostAPI.encoder.encode(request) else { return }
        let text = String(decoding: data, as: UTF8.self)
        let channel: (any NIOCore.Channel)? = state.withLock { s in
            guard !s.closing else { return nil }
            if s.channel == nil { s.pending.append(text) }
            return s.channel
        }
        channel.map { Self.write(text, on: $0) }
    }

    /// Closes the socket from our side (a close frame, then the connection); the receiver then gets `.closed`.
    public func close() {
        let channel: (any NIOCore.Channel)? = state.withLock { s in
            s.closing = true
            s.pending = []
            return s.channel
        }
        guard let channel else { return }
        let frame = Self.closeFrame(code: .normalClosure, allocator: channel.allocator)
        channel.writeAndFlush(frame).whenComplete { _ in channel.close(promise: nil) }
    }

    /// The upgrade URL: `?connection_id=…&sequence_number=…` when resuming.
    public static func url(_ base: String, resume: (connectionID: String, sequenceNumber: Int64)?) -> String {
        guard let resume else { return base }
        let id = resume.connectionID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "\(base)?connection_id=\(id)&sequence_number=\(resume.sequenceNumber)"
    }

    /// Connects, sends the authentication challenge (seq 1), then delivers every frame and finally `.closed`,
    /// in order, to `receive`.
    /// - Parameters:
    ///   - resume: a reliable-websocket reconnect (mattermost-mobile `app/client/websocket/index.ts` initialize): the
    ///     connection id of the last `hello` and the next event seq wanted. The server replays what was missed,
    ///     with no new `hello`.
    ///   - tokenOnUpgrade: also send `Authorization: Bearer` on the upgrade request, as the mobile app does (Android
    ///     a header, iOS its cookie): the server authenticates the socket at once. Implied by `resume`, because
    ///     Mattermost honours `connection_id` only on an upgrade that carries the session (api4/websocket.go
    ///     connectWebSocket).
    public func start(token: String, resume: (connectionID: String, sequenceNumber: Int64)? = nil,
                      tokenOnUpgrade: Bool = false,
                      receive: @escaping @Sendable (Event) async -> Void) {
        let mailbox = WebSocketMailbox<Event>(receive)
        let challenge = WebSocketRequest(seq: 1, action: WebSocketRequest.authenticationChallenge,
                                         data: ["token": .string(token)])
        let authorization = tokenOnUpgrade || resume != nil ? "Bearer \(token)" : nil
        guard let target = Target(Self.url(url, resume: resume)) else {
            mailbox.post(.closed(reason: "invalid WebSocket URL"))
            return
        }
        let sslContext: NIOSSLContext?
        do {
            sslContext = try tlsContext(for: target)
        } catch {
            mailbox.post(.closed(reason: "\(error)"))
            return
        }
        let onFrame: @Sendable (MattermostModel.WebSocketFrame) -> Void = { mailbox.post(.frame($0)) }
        let onError: @Sendable (any Error) -> Void = { [weak self] in self?.fail($0) }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            // Mattermost frames are small: start reads small, grow if the server ever sends more.
            .channelOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgraded = try Self.configure(channel: channel, target: target, sslContext: sslContext,
                                                      authorization: authorization) {
                        WebSocketFrameHandler(onFrame: onFrame, onError: onError)
                    }
                    upgraded.whenComplete { [weak self] (result: Result<Upgrade, any Error>) in
                        self?.upgraded(channel, result, challenge: challenge, mailbox: mailbox)
                    }
                }
            }
        // An IP literal needs no resolver: connect(host:) would still run getaddrinfo and Happy Eyeballs (~5% of
        // a fleet's CPU).
        let connecting = if let address = try? SocketAddress(ipAddress: target.host, port: target.port) {
            bootstrap.connect(to: address)
        } else {
            bootstrap.connect(host: target.host, port: target.port)
        }
        connecting.whenComplete { result in
            switch result {
            case .success(let channel):
                channel.closeFuture.whenComplete { [weak self] _ in
                    let failure = self?.ended()
                    mailbox.post(.closed(reason: failure ?? Self.closedByServer))
                }
            case .failure(let error):
                mailbox.post(.closed(reason: Self.describe(error)))
            }
        }
    }

    /// `start` as one call that returns when the socket closes; throws when it ended on an error.
    public func run(token: String, resume: (connectionID: String, sequenceNumber: Int64)? = nil,
                    tokenOnUpgrade: Bool = false,
                    onFrame: @escaping @Sendable (MattermostModel.WebSocketFrame) async -> Void) async throws {
        let reason: String = await withCheckedContinuation { continuation in
            start(token: token, resume: resume, tokenOnUpgrade: tokenOnUpgrade) { event in
                switch event {
                case .opened: break
                case .frame(let frame): await onFrame(frame)
                case .closed(let reason): continuation.resume(returning: reason)
                }
            }
        }
        if reason != Self.closedByServer { throw ClientError.network(reason) }
    }

    /// wss only: the trust's TLS context. An IP literal cannot be checked (NIOSSL sends no IP as SNI).
    func tlsContext(for target: Target) throws(ClientError) -> NIOSSLContext? {
        try Self.tlsContext(for: target, trust: trust)
    }

    static func tlsContext(for target: Target, trust: ClientTrust) throws(ClientError) -> NIOSSLContext? {
        guard target.tls else { return nil }
        if ClientTrust.isIPLiteral(target.host) {
            throw .network("TLS: wss needs the server's host name, not an IP address (\(target.host))")
        }
        do { return try Self.sslContext(for: trust) } catch { throw .network("TLS: \(error)") }
    }

    // MARK: Channel events (on the event loop)

    private func upgraded(_ channel: any NIOCore.Channel, _ result: Result<Upgrade, any Error>, challenge: WebSocketRequest,
                          mailbox: WebSocketMailbox<Event>) {
        switch result {
        case .success(.websocket):
            let (closing, pending): (Bool, [String]) = state.withLock { s in
                if !s.closing { s.channel = channel }
                defer { s.pending = [] }
                return (s.closing, s.pending)
            }
            if closing {
                channel.close(promise: nil)
                return
            }
            guard let data = try? MattermostAPI.encoder.encode(challenge) else { return }
            Self.write(String(decoding: data, as: UTF8.self), on: channel)
            mailbox.post(.opened)
            for text in pending { Self.write(text, on: channel) }
        case .success(.refused):
            fail(reason: "webSocketUpgradeFailed")
            channel.close(promise: nil)
        case .failure(let error):
            fail(error)
            channel.close(promise: nil)
        }
    }

    private func fail(_ error: any Error) { fail(reason: Self.describe(error)) }

    private func fail(reason: String) {
        state.withLock { s in if s.failure == nil, !s.closing { s.failure = reason } }
    }

    /// The channel closed: forget it (it holds the handlers, which hold the receiver); the failure, if any.
    private func ended() -> String? {
        state.withLock { s in
            s.channel = nil
            s.closing = true
            return s.failure
        }
    }

    static func write(_ text: String, on channel: any NIOCore.Channel) {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        let frame = NIOWebSocket.WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: buffer)
        channel.writeAndFlush(frame, promise: nil)
    }

    /// A short, token-free reason; a TLS failure is a connection problem with a plain reason, never a revocation.
    static func describe(_ error: any Error) -> String {
        if let reason = ClientTrust.describeFailure(error) { return "\(ClientError.network(reason))" }
        return "\(error)".prefix(80).description
    }
}
