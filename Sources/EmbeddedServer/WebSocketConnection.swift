import Foundation
import MattermostModel
import Synchronization

/// One Mattermost web connection (`platform/web_conn.go` WebConn). It outlives its socket: after a disconnect the
/// hub keeps it, inactive, so that a client naming its `connection_id` can resume it. Everything a socket sends
/// goes through one ordered stream, drained by a single writer task, so event `seq` numbers leave in order and
/// replies never interleave with events.
final class WebSocketConnection: Sendable {
    enum Outgoing: Sendable {
        case text(String)
        case close(CloseReason)
    }

    enum CloseReason: Sendable { case shutdown, authenticationFailed, notAuthenticatedInTime }

    struct Identity: Sendable {
        /// The session is found again by its token hash: the path the session cache serves.
        var tokenHash: String
        var userID: String
    }

    /// Mattermost's `deadQueueSize`: the written events kept for a resume.
    static let deadQueueSize = 128
    /// Mattermost's `sendQueueSize`: events queued for a connection whose socket is gone; one more and the hub
    /// drops the connection (`closeAndRemoveConn`), so a later resume gets a new connection id.
    static let sendQueueSize = 256

    private struct State {
        var id: String
        var identity: Identity?
        var nextSeq: Int64 = 0  // Mattermost's hello carries seq 0
        /// The dead queue: the last `deadQueueSize` events written, oldest first.
        var written: [WebSocketEvent] = []
        /// The send queue while no socket is attached; numbered when written.
        var queued: [WebSocketEvent] = []
        var socket: AsyncStream<Outgoing>.Continuation?
        var attachment = 0
        /// How many times a client resumed this connection: hello goes only to a fresh one (`reuseCount == 0`).
        var reuseCount = 0
        /// `lastUserActivityAt`: set when a socket attaches and on the session's activity; the reaper's measure.
        var lastActivityAt: Int64
    }

    private let state: Mutex<State>
    let serverVersion: String

    init(id: String = MattermostID.new(), serverVersion: String, nowMillis: Int64) {
        state = Mutex(State(id: id, lastActivityAt: nowMillis))
        self.serverVersion = serverVersion
    }

    var id: String { state.withLock { $0.id } }
    var identity: Identity? { state.withLock { $0.identity } }
    var isActive: Bool { state.withLock { $0.socket != nil } }
    var lastActivityAt: Int64 { state.withLock { $0.lastActivityAt } }
    var reuseCount: Int { state.withLock { $0.reuseCount } }

    /// A socket takes over this connection; what it must send leaves through the returned stream.
    func attach(nowMillis: Int64, resumed: Bool) -> (stream: AsyncStream<Outgoing>, attachment: Int) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        let attachment = state.withLock { state in
            state.socket?.finish()
            state.socket = continuation
            state.attachment += 1
            state.lastActivityAt = nowMillis
            if resumed { state.reuseCount += 1 }
            return state.attachment
        }
        return (stream, attachment)
    }

    /// The socket went away: the connection stays, inactive, and queues what is sent to it.
    func detach(_ attachment: Int) {
        state.withLock { state in
            guard state.attachment == attachment else { return }
            state.socket?.finish()
            state.socket = nil
        }
    }

    func authenticate(tokenHash: String, userID: String) {
        state.withLock { $0.identity = Identity(tokenHash: tokenHash, userID: userID) }
    }

    /// `IsAuthenticated` found the session gone: the connection forgets its token, so a new challenge is heard.
    func forgetSession() {
        state.withLock { state in
            guard let identity = state.identity else { return }
            state.identity = Identity(tokenHash: "", userID: identity.userID)
        }
    }

    func touch(nowMillis: Int64) {
        state.withLock { $0.lastActivityAt = nowMillis }
    }

    /// `createHelloMessage`: the server's version and this connection's id.
    func sendHello(userID: String) {
        state.withLock { state in
            write(hello(state.id, userID: userID), in: &state)
        }
    }

    /// Queues or writes an event. False when the send queue of a socketless connection overflowed: the hub
    /// must then drop the connection.
    @discardableResult
    func sendEvent(_ name: String, data: [String: JSONValue], broadcast: WebSocketBroadcast) -> Bool {
        state.withLock { state in
            let event = WebSocketEvent(event: name, data: data, broadcast: broadcast, seq: 0)
            guard state.socket != nil else {
                guard state.queued.count < Self.sendQueueSize else { return false }
                state.queued.append(event)
                return true
            }
            write(event, in: &state)
            return true
        }
    }

    func reply(_ reply: WebSocketReply) {
        state.withLock { state in
            guard let socket = state.socket, let text = Self.text(reply) else { return }
            socket.yield(.text(text))
        }
    }

    /// Sends a close frame after whatever is queued; the socket then accepts nothing more.
    func close(_ reason: CloseReason) {
        state.withLock { state in
            guard let socket = state.socket else { return }
            socket.yield(.close(reason))
            socket.finish()
            state.socket = nil
        }
    }

    /// What `writePump` does first on a resumed connection, from the client's `sequence_number` (the next seq it
    /// wants): replay it and what followed from the dead queue; if it is not there and the last written event is
    /// not just before it (`hasMsgLoss`), start over with a new connection id, seq 0 and a hello. Then the events
    /// queued while no socket was attached.
    enum Resumption: Equatable, Sendable { case replayed(Int), lossless, lost }

    func resume(from sequence: Int64) -> Resumption {
        state.withLock { state in
            var outcome = Resumption.lossless
            state.nextSeq = sequence
            if sequence != 0 {
                if let index = state.written.firstIndex(where: { $0.seq == sequence }) {
                    let replay = state.written[index...]
                    for event in replay {
                        if let text = Self.text(event) { state.socket?.yield(.text(text)) }
                        state.nextSeq = event.seq + 1
                    }
                    outcome = .replayed(replay.count)
                } else if let last = state.written.last, last.seq != sequence - 1 {
                    state.written = []
                    state.id = MattermostID.new()
                    state.nextSeq = 0
                    if let userID = state.identity?.userID { write(hello(state.id, userID: userID), in: &state) }
                    outcome = .lost
                }
            }
            let queued = state.queued
            state.queued = []
            for event in queued { write(event, in: &state) }
            return outcome
        }
    }

    private func hello(_ connectionID: String, userID: String) -> WebSocketEvent {
        WebSocketEvent(event: WebSocketEvent.hello, data: [
            "server_version": .string(serverVersion),
            "connection_id": .string(connectionID),
        ], broadcast: WebSocketBroadcast(userID: userID), seq: 0)
    }

    /// Numbers the event, keeps it in the dead queue and hands it to the socket (yielding inside the lock keeps
    /// seq order equal to send order).
    private func write(_ event: WebSocketEvent, in state: inout State) {
        var event = event
        event.seq = state.nextSeq
        guard let text = Self.text(event) else { return }
        state.nextSeq += 1
        state.written.append(event)
        if state.written.count > Self.deadQueueSize { state.written.removeFirst(state.written.count - Self.deadQueueSize) }
        state.socket?.yield(.text(text))
    }

    private static let encoder = JSONEncoder()

    private static func text<T: Encodable>(_ value: T) -> String? {
        (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }
}
