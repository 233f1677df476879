import Foundation
import HTTPTypes
import MattermostClient
import Logging
import MattermostModel
import Synchronization
import XCTest

/// A real WebSocket client for tests: frames land in a buffer that `next()` reads with a timeout.
final class TestSocket: Sendable {
    private enum Outgoing: Sendable { case text(String), close }
    private struct Inbox {
        var frames: [String] = []
        var closed = false
    }

    /// A reference, so the connection task and the test share it.
    private final class Box: Sendable {
        let state = Mutex(Inbox())
        func withLock<T>(_ body: (inout Inbox) -> T) -> T { state.withLock { body(&$0) } }
    }

    private let inbox = Box()
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let task: Task<Void, Never>

    init(url: String, headers: HTTPFields = [:]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        outgoing = continuation
        let inbox = self.inbox
        let extra = headers.map { ($0.name.rawName, $0.value) }
        task = Task {
            // The phones' own upgrade (Origin with the port, as Mattermost's same-origin check wants).
            if let socket = try? await RelayWebSocket.connect(url: url, authorization: nil, extraHeaders: extra) {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await item in stream {
                            switch item {
                            case .text(let text): try? await socket.send(.text(text))
                            case .close: socket.close()
                            }
                        }
                    }
                    for await message in socket.messages {
                        if case .text(let text) = message { inbox.withLock { $0.frames.append(text) } }
                    }
                    group.cancelAll()
                }
            }
            inbox.withLock { $0.closed = true }
        }
    }

    static func connect(_ server: TestServer, headers: HTTPFields = [:]) -> TestSocket {
        TestSocket(url: server.base.replacingOccurrences(of: "http://", with: "ws://") + APIPath.websocket,
                   headers: headers)
    }

    func send(_ request: WebSocketRequest) throws {
        let text = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        outgoing.yield(.text(text))
    }

    /// A frame as written, for the shapes `WebSocketRequest` would never encode.
    func sendText(_ text: String) {
        outgoing.yield(.text(text))
    }

    func authenticate(seq: Int64 = 1, token: String) throws {
        try send(WebSocketRequest(seq: seq, action: WebSocketRequest.authenticationChallenge,
                                  data: ["token": .string(token)]))
    }

    func ping(seq: Int64) throws {
        try send(WebSocketRequest(seq: seq, action: WebSocketRequest.ping))
    }

    /// The next frame, or nil when the socket closed or nothing came in time.
    func next(timeout: Duration = .seconds(5)) async throws -> WebSocketFrame? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (frame, closed): (String?, Bool) = inbox.withLock { inbox in
                inbox.frames.isEmpty ? (nil, inbox.closed) : (inbox.frames.removeFirst(), false)
            }
            if let frame {
                return try XCTUnwrap(WebSocketFrame.decode(frame), "undecodable frame: \(frame)")
            }
            if closed { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    func nextReply(file: StaticString = #filePath, line: UInt = #line) async throws -> WebSocketReply {
        guard case .reply(let reply) = try await next() else {
            XCTFail("expected a reply", file: file, line: line)
            throw CancellationError()
        }
        return reply
    }

    func nextEvent(file: StaticString = #filePath, line: UInt = #line) async throws -> WebSocketEvent {
        guard case .event(let event) = try await next() else {
            XCTFail("expected an event", file: file, line: line)
            throw CancellationError()
        }
        return event
    }

    var isClosed: Bool { inbox.withLock { $0.closed && $0.frames.isEmpty } }

    /// Waits up to `timeout` for the connection to end.
    func waitClosed(timeout: Duration = .seconds(5)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if inbox.withLock({ $0.closed }) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func close() async {
        outgoing.yield(.close)
        outgoing.finish()
        _ = try? await waitClosed(timeout: .seconds(2))
        task.cancel()
    }
}
