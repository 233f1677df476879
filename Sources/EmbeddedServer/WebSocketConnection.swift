import Foundation
import MattermostModel
import Synchronization

/// One open WebSocket. Everything it sends goes through one ordered stream, drained by a single writer
/// task, so event `seq` numbers leave in order and replies never interleave with events.
final class WebSocketConnection: Sendable {
    enum Outgoing: Sendable {
        case text(String)
        case close(CloseReason)
    }

    enum CloseReason: Sendable { case shutdown, authenticationFailed }

    struct Identity: Sendable {
        /// The session is found again by its token hash: the path the session cache serves.
        var tokenHash: String
        var userID: String
    }

    private struct State {
        var identity: Identity?
        var nextSeq: Int64 = 0  // Mattermost's hello carries seq 0
        var closed = false
    }

    let id: String
    let outgoing: AsyncStream<Outgoing>
    private let continuation: AsyncStream<Outgoing>.Continuation
    private let state = Mutex(State())
    private static let encoder = JSONEncoder()

    init(id: String = MattermostID.new()) {
        self.id = id
        (outgoing, continuation) = AsyncStream.makeStream(of: Outgoing.self)
    }

    var identity: Identity? { state.withLock { $0.identity } }

    func authenticate(tokenHash: String, userID: String) {
        state.withLock { $0.identity = Identity(tokenHash: tokenHash, userID: userID) }
    }

    func sendEvent(_ name: String, data: [String: JSONValue], broadcast: WebSocketBroadcast) {
        state.withLock { state in
            guard !state.closed else { return }
            let event = WebSocketEvent(event: name, data: data, broadcast: broadcast, seq: state.nextSeq)
            guard let text = Self.text(event) else { return }
            state.nextSeq += 1
            // Yielding inside the lock keeps seq order equal to send order.
            continuation.yield(.text(text))
        }
    }

    func reply(_ reply: WebSocketReply) {
        state.withLock { state in
            guard !state.closed, let text = Self.text(reply) else { return }
            continuation.yield(.text(text))
        }
    }

    /// Sends a close frame after whatever is queued, then accepts nothing more.
    func close(_ reason: CloseReason) {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            continuation.yield(.close(reason))
            continuation.finish()
        }
    }

    /// The peer went away: stop the writer.
    func finish() {
        state.withLock { state in
            state.closed = true
            continuation.finish()
        }
    }

    private static func text<T: Encodable>(_ value: T) -> String? {
        (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }
}
