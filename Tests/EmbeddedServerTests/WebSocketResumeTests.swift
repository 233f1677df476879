import EmbeddedServer
import Foundation
import HTTPTypes
import MattermostModel
import XCTest

/// Reliable WebSockets: `?connection_id=…&sequence_number=N` on an upgrade that carries the session resumes a
/// connection the hub still keeps (api4/websocket.go connectWebSocket, platform/web_conn.go PopulateWebConnConfig
/// and writePump, platform/web_hub.go).
final class WebSocketResumeTests: ServerTestCase {
    private func socket(_ server: TestServer, token: String, resume: (id: String, sequence: String?)? = nil,
                        headerAuth: Bool = true) -> TestSocket {
        var url = server.base.replacingOccurrences(of: "http://", with: "ws://") + APIPath.websocket
        if let resume {
            url += "?connection_id=\(resume.id)" + (resume.sequence.map { "&sequence_number=\($0)" } ?? "")
        }
        return TestSocket(url: url, headers: headerAuth ? [.authorization: "Bearer \(token)"] : [:])
    }

    /// Opens an upgrade-authenticated socket and returns it with its connection id.
    private func opened(_ server: TestServer, token: String) async throws -> (TestSocket, String) {
        let socket = socket(server, token: token)
        let hello = try await socket.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        return (socket, try XCTUnwrap(hello.data["connection_id"]?.stringValue))
    }

    /// Closes from the client and waits until the server has let go of the socket (the connection stays).
    private func disconnect(_ socket: TestSocket, _ server: TestServer) async throws {
        await socket.close()
        let embedded = server.server
        let released = await happens(within: 5) { await embedded.waitUntilNoActiveWebSockets() }
        XCTAssertTrue(released, "the server kept the socket")
    }

    private func post(_ server: TestServer, _ message: String, token: String, channel: MattermostModel.Channel) async throws {
        let status = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: message),
                                           token: token).status
        XCTAssertEqual(status, 201)
    }

    private func message(of event: WebSocketEvent) throws -> String {
        let json = try XCTUnwrap(event.data["post"]?.stringValue)
        return try JSONDecoder().decode(Post.self, from: Data(json.utf8)).message
    }

    func testResumeDeliversMissedEventsWithSameIDAndNoHello() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (writer, _) = try await server.login("user-1")
        let channel = try await server.townSquare(writer)
        let (first, id) = try await opened(server, token: reader)
        try await post(server, "one", token: writer, channel: channel)
        let one = try await first.nextEvent()
        XCTAssertEqual(one.seq, 1)
        try await disconnect(first, server)

        try await post(server, "two", token: writer, channel: channel)
        try await post(server, "three", token: writer, channel: channel)
        let resumed = socket(server, token: reader, resume: (id, "2"))
        let two = try await resumed.nextEvent()
        XCTAssertEqual(two.event, WebSocketEvent.posted, "no hello on a resumed connection")
        XCTAssertEqual(two.seq, 2)
        XCTAssertEqual(try message(of: two), "two")
        let three = try await resumed.nextEvent()
        XCTAssertEqual(three.seq, 3)
        XCTAssertEqual(try message(of: three), "three")
        // Still the same connection: a later resume with its id and the next seq is lossless.
        try await disconnect(resumed, server)
        let again = socket(server, token: reader, resume: (id, "4"))
        try again.ping(seq: 1)
        let pong = try await again.nextReply()
        XCTAssertEqual(pong.seqReply, 1, "nothing before the pong: no hello, nothing replayed")
        await again.close()
    }

    func testResumeReplaysFromTheDeadQueue() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (writer, _) = try await server.login("user-1")
        let channel = try await server.townSquare(writer)
        let (first, id) = try await opened(server, token: reader)
        for text in ["a", "b", "c"] { try await post(server, text, token: writer, channel: channel) }
        for _ in 1...3 { _ = try await first.nextEvent() }
        try await disconnect(first, server)

        // The client says it saw only seq 1 ("a"): b and c come again with their numbers.
        let resumed = socket(server, token: reader, resume: (id, "2"))
        let b = try await resumed.nextEvent()
        let c = try await resumed.nextEvent()
        XCTAssertEqual([b.seq, c.seq], [2, 3])
        XCTAssertEqual([try message(of: b), try message(of: c)], ["b", "c"])
        await resumed.close()
    }

    func testSequenceNoLongerBufferedGetsNewIDAndHello() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (writer, _) = try await server.login("user-1")
        let channel = try await server.townSquare(writer)
        let (first, id) = try await opened(server, token: reader)
        let count = 128 + 2  // Mattermost's deadQueueSize, and two more
        for index in 1...count { try await post(server, "m\(index)", token: writer, channel: channel) }
        for _ in 1...count { _ = try await first.nextEvent() }
        try await disconnect(first, server)

        // seq 1 fell out of the 128-event dead queue.
        let resumed = socket(server, token: reader, resume: (id, "1"))
        let hello = try await resumed.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        XCTAssertEqual(hello.seq, 0)
        let newID = try XCTUnwrap(hello.data["connection_id"]?.stringValue)
        XCTAssertNotEqual(newID, id)
        await resumed.close()
    }

    func testUnknownIDGetsFreshConnection() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let unknown = MattermostID.new()
        let resumed = socket(server, token: reader, resume: (unknown, "5"))
        let hello = try await resumed.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        XCTAssertNotEqual(hello.data["connection_id"]?.stringValue, unknown)
        await resumed.close()
    }

    func testReapedConnectionGetsFreshConnection() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (first, id) = try await opened(server, token: reader)
        try await disconnect(first, server)
        server.clock.advance(byMillis: 5 * 60_000 + 1)
        let resumed = socket(server, token: reader, resume: (id, "1"))
        let hello = try await resumed.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        XCTAssertNotEqual(hello.data["connection_id"]?.stringValue, id)
        await resumed.close()
    }

    /// The upgrade must carry the session: with a challenge alone the id is ignored (a fresh connection).
    func testChallengeOnlyUpgradeDoesNotResume() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (first, id) = try await opened(server, token: reader)
        try await disconnect(first, server)
        let resumed = socket(server, token: reader, resume: (id, "1"), headerAuth: false)
        try resumed.authenticate(token: reader)
        let hello = try await resumed.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        XCTAssertNotEqual(hello.data["connection_id"]?.stringValue, id)
        await resumed.close()
    }

    func testKnownIDWithoutSequenceNumberIsClosed() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (first, id) = try await opened(server, token: reader)
        try await disconnect(first, server)
        let resumed = socket(server, token: reader, resume: (id, nil))
        let frame = try await resumed.next()
        XCTAssertNil(frame)
        XCTAssertTrue(resumed.isClosed)
    }

    func testAnotherUsersConnectionIsNotResumed() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (other, _) = try await server.login("user-3")
        let (first, id) = try await opened(server, token: reader)
        try await disconnect(first, server)
        let stolen = socket(server, token: other, resume: (id, "1"))
        let hello = try await stolen.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        XCTAssertNotEqual(hello.data["connection_id"]?.stringValue, id)
        await stolen.close()
    }
}
