import Foundation
import HummingbirdWSClient
import Logging
import MattermostModel
import NIOSSL

/// One Mattermost WebSocket: authenticates with a challenge, then hands every frame to `onFrame`
/// and sends what is queued with `send`. `run` returns when the socket closes.
public final class WebSocketConnection: Sendable {
    public let url: String
    let trust: ClientTrust
    private let outgoing: AsyncStream<String>
    private let outgoingContinuation: AsyncStream<String>.Continuation

    public init(baseURL: String, trust: ClientTrust = .system) {
        let wsBase = baseURL.replacingOccurrences(of: "http://", with: "ws://")
            .replacingOccurrences(of: "https://", with: "wss://")
        self.url = wsBase + APIPath.websocket
        self.trust = trust
        (outgoing, outgoingContinuation) = AsyncStream.makeStream(of: String.self)
    }

    public func send(_ request: WebSocketRequest) {
        guard let data = try? JSONEncoder().encode(request) else { return }
        outgoingContinuation.yield(String(decoding: data, as: UTF8.self))
    }

    /// Ends `run` by closing the socket from our side.
    public func close() { outgoingContinuation.finish() }

    /// Connects, sends the authentication challenge (seq 1) and pumps frames until either side closes.
    public func run(token: String, logger: Logger, onFrame: @escaping @Sendable (WebSocketFrame) async -> Void) async throws {
        let challenge = WebSocketRequest(seq: 1, action: WebSocketRequest.authenticationChallenge,
                                         data: ["token": .string(token)])
        let outgoing = self.outgoing
        let tls = try tlsConfiguration()
        do {
            try await connect(tls: tls, challenge: challenge, outgoing: outgoing, logger: logger, onFrame: onFrame)
        } catch {
            // A TLS failure is a connection problem with a plain reason, never a revocation.
            if let reason = ClientTrust.describeFailure(error) { throw ClientError.network(reason) }
            throw error
        }
    }

    /// wss only: the trust's TLS settings. An IP literal cannot be checked (NIOSSL sends no IP as SNI).
    func tlsConfiguration() throws(ClientError) -> TLSConfiguration? {
        guard url.hasPrefix("wss://") else { return nil }
        if let host = URL(string: url)?.host, ClientTrust.isIPLiteral(host) {
            throw .network("TLS: wss needs the server's host name, not an IP address (\(host))")
        }
        return trust.tlsConfiguration
    }

    private func connect(tls: TLSConfiguration?, challenge: WebSocketRequest, outgoing: AsyncStream<String>, logger: Logger,
                         onFrame: @escaping @Sendable (WebSocketFrame) async -> Void) async throws {
        try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20), tlsConfiguration: tls,
                                          logger: logger) { inbound, outbound, _ in
            let challengeData = try JSONEncoder().encode(challenge)
            try await outbound.write(.text(String(decoding: challengeData, as: UTF8.self)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in outgoing { try await outbound.write(.text(text)) }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message, let frame = WebSocketFrame.decode(text) {
                            await onFrame(frame)
                        }
                    }
                }
                // Either side ending ends the connection.
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
