import EmbeddedServer
import Foundation
import HTTPTypes
import HummingbirdWSClient
import MattermostModel
import XCTest

final class WebSocketTests: ServerTestCase {
    /// Connects, authenticates with a challenge, and consumes the OK reply and the hello.
    private func connected(_ server: TestServer, token: String) async throws -> TestSocket {
        let socket = TestSocket.connect(server)
        try socket.authenticate(seq: 1, token: token)
        let reply = try await socket.nextReply()
        XCTAssertEqual(reply.status, "OK")
        XCTAssertEqual(reply.seqReply, 1)
        let hello = try await socket.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        XCTAssertEqual(hello.seq, 0)
        XCTAssertNotNil(hello.data["server_version"]?.stringValue)
        XCTAssertEqual(hello.data["connection_id"]?.stringValue?.count, 26)
        return socket
    }

    func testChallengeGivesOKThenHello() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let socket = try await connected(server, token: token)
        await socket.close()
    }

    func testUpgradeHeaderAuthSendsHelloAtOnce() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let socket = TestSocket.connect(server, headers: [.authorization: "Bearer \(token)"])
        let hello = try await socket.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        XCTAssertEqual(hello.broadcast.userID, user.id)
        await socket.close()
    }

    func testBadTokenGetsErrorThenClose() async throws {
        let server = try self.server
        let socket = TestSocket.connect(server)
        try socket.authenticate(seq: 1, token: MattermostID.new())
        let reply = try await socket.nextReply()
        XCTAssertEqual(reply.status, "FAIL")
        XCTAssertEqual(reply.error?.id, ErrorID.wsNotAuthenticated)
        let closed = try await socket.waitClosed()
        XCTAssertTrue(closed)
    }

    func testPingPongWhileValid() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let socket = try await connected(server, token: token)
        try socket.ping(seq: 2)
        let pong = try await socket.nextReply()
        XCTAssertEqual(pong.status, "OK")
        XCTAssertEqual(pong.seqReply, 2)
        XCTAssertEqual(pong.data?["text"]?.stringValue, "pong")
        XCTAssertEqual(pong.data?["server_time"], .number(Double(server.clock.nowMillis)))
        await socket.close()
    }

    func testPostedReachesChannelMembers() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (writer, author) = try await server.login("user-1")
        let socket = try await connected(server, token: reader)
        let channel = try await server.townSquare(writer)
        let post = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "hi there"),
                                         token: writer).decode(Post.self)

        let event = try await socket.nextEvent()
        XCTAssertEqual(event.event, WebSocketEvent.posted)
        XCTAssertEqual(event.seq, 1)
        XCTAssertEqual(event.broadcast.channelID, channel.id)
        XCTAssertEqual(event.data["channel_name"]?.stringValue, "town-square")
        XCTAssertEqual(event.data["channel_display_name"]?.stringValue, "Town Square")
        XCTAssertEqual(event.data["channel_type"]?.stringValue, "O")
        XCTAssertEqual(event.data["sender_name"]?.stringValue, "@\(author.username)")
        XCTAssertEqual(event.data["team_id"]?.stringValue, channel.teamID)
        let json = try XCTUnwrap(event.data["post"]?.stringValue)
        let delivered = try JSONDecoder().decode(Post.self, from: Data(json.utf8))
        XCTAssertEqual(delivered, post)
        await socket.close()
    }

    func testRevocationSilencesSocketWithoutClosingIt() async throws {
        let server = try self.server
        let (reader, _) = try await server.login("user-2")
        let (admin, _) = try await server.login("sysadmin")
        let socket = try await connected(server, token: reader)

        let status = try await server.post(APIPath.revokeAllInSystem, token: admin).status
        XCTAssertEqual(status, 200)
        try socket.ping(seq: 2)
        let reply = try await socket.nextReply()
        XCTAssertEqual(reply.status, "FAIL")
        XCTAssertEqual(reply.seqReply, 2)
        XCTAssertEqual(reply.error?.id, ErrorID.wsNotAuthenticated)

        let (writer, _) = try await server.login("user-1")
        let channel = try await server.townSquare(writer)
        let posted = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "unseen"),
                                           token: writer)
        XCTAssertEqual(posted.status, 201)
        // Events are queued before the POST answers; had one been sent, it would come before this reply.
        try socket.ping(seq: 3)
        let next = try await socket.nextReply()
        XCTAssertEqual(next.seqReply, 3)
        XCTAssertEqual(next.status, "FAIL")
        XCTAssertFalse(socket.isClosed, "revocation does not close the socket")
        await socket.close()
    }

    func testExpiredSessionFailsPing() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let socket = try await connected(server, token: token)
        server.clock.advance(byMillis: 721 * 3_600_000)
        try socket.ping(seq: 2)
        let id = try await socket.nextReply().error?.id
        XCTAssertEqual(id, ErrorID.wsNotAuthenticated)
        await socket.close()
    }

    func testStopClosesOpenSockets() async throws {
        let server = try await TestServer.start()
        let (token, _) = try await server.login("user-1")
        let socket = try await connected(server, token: token)
        await server.stop()
        let closed = try await socket.waitClosed()
        XCTAssertTrue(closed)
    }
}
