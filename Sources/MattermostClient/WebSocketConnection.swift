import Foundation
import HummingbirdWSClient
import Logging
import MattermostModel

/// One Mattermost WebSocket: authenticates with a challenge, then hands every frame to `onFrame`
/// and sends what is queued with `send`. `run` returns when the socket closes.
public final class WebSocketConnection: Sendable {
    public let url: String
    private let outgoing: AsyncStream<String>
    private let outgoingContinuation: AsyncStream<String>.Continuation

    public init(baseURL: String) {
        let wsBase = baseURL.replacingOccurrences(of: "http://", with: "ws://")
            .replacingOccurrences(of: "https://", with: "wss://")
        self.url = wsBase + APIPath.websocket
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
        try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20), logger: logger) { inbound, outbound, _ in
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
