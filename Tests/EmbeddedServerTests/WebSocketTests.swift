import EmbeddedServer
import Foundation
import HTTPTypes
import HummingbirdWSClient
import MattermostModel
import XCTest

final class WebSocketTests: ServerTestCase {
    /// Connects, authenticates with a challenge, and consumes the hello and the OK reply (Mattermost registers the
    /// connection, which queues hello, before it replies to the challenge).
    private func connected(_ server: TestServer, token: String) async throws -> TestSocket {
        let socket = TestSocket.connect(server)
        try socket.authenticate(seq: 1, token: token)
        let hello = try await socket.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        XCTAssertEqual(hello.seq, 0)
        XCTAssertEqual(hello.data["server_version"]?.stringValue, ServerVersion.versionID)
        XCTAssertEqual(hello.data["connection_id"]?.stringValue?.count, 26)
        let reply = try await socket.nextReply()
        XCTAssertEqual(reply.status, "OK")
        XCTAssertEqual(reply.seqReply, 1)
        return socket
    }

    func testChallengeGivesHelloThenOK() async throws {
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

    /// websocket_router.go ServeWebSocket: a challenge whose token is no session closes the socket, no reply.
    func testBadChallengeClosesWithoutReply() async throws {
        let server = try self.server
        let socket = TestSocket.connect(server)
        try socket.authenticate(seq: 1, token: MattermostID.new())
        let frame = try await socket.next()
        XCTAssertNil(frame, "no reply, no hello: the socket just closes")
        XCTAssertTrue(socket.isClosed)
    }

    func testRevokedTokenChallengeClosesWithoutReply() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let (admin, _) = try await server.login("sysadmin")
        _ = try await server.post(APIPath.revokeAllInSystem, token: admin)
        let socket = TestSocket.connect(server)
        try socket.authenticate(seq: 1, token: token)
        let frame = try await socket.next()
        XCTAssertNil(frame)
        XCTAssertTrue(socket.isClosed)
    }

    /// Until it authenticates a socket hears nothing (errors go through the hub, which does not know it yet).
    func testNothingBeforeAuthenticationThenHello() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let socket = TestSocket.connect(server)
        try socket.ping(seq: 1)
        try socket.send(WebSocketRequest(seq: 2, action: "user_typing", data: [:]))
        try socket.authenticate(seq: 3, token: token)
        let first = try await socket.nextEvent()
        XCTAssertEqual(first.event, WebSocketEvent.hello, "the ping and the typing got no reply")
        let reply = try await socket.nextReply()
        XCTAssertEqual(reply.seqReply, 3)
        await socket.close()
    }

    /// `if conn.GetSessionToken() != "" { return }`: no reply, no second hello.
    func testSecondChallengeIsIgnored() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let socket = try await connected(server, token: token)
        try socket.authenticate(seq: 2, token: token)
        try socket.authenticate(seq: 3, token: MattermostID.new())
        try socket.ping(seq: 4)
        let pong = try await socket.nextReply()
        XCTAssertEqual(pong.seqReply, 4, "challenges 2 and 3 got nothing, and the bad one did not close the socket")
        await socket.close()
    }

    /// `writePump`'s auth ticker.
    func testSocketThatNeverAuthenticatesIsClosed() async throws {
        let server = try await TestServer.start { $0.webSocketAuthTimeout = .milliseconds(200) }
        let socket = TestSocket.connect(server)
        let closed = try await socket.waitClosed()
        XCTAssertTrue(closed)
        await server.stop()
    }

    func testBadSequenceAndUnknownActionAnswerAsMattermost() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let socket = try await connected(server, token: token)
        try socket.send(WebSocketRequest(seq: 0, action: "ping"))
        let badSeq = try await socket.nextReply()
        XCTAssertEqual(badSeq.error?.id, "api.web_socket_router.bad_seq.app_error")
        XCTAssertEqual(badSeq.error?.statusCode, 400)
        try socket.send(WebSocketRequest(seq: 5, action: "no_such_action"))
        let badAction = try await socket.nextReply()
        XCTAssertEqual(badAction.error?.id, "api.web_socket_router.bad_action.app_error")
        XCTAssertEqual(badAction.error?.statusCode, 500)
        // Go fills a missing or null field with its zero value: FAIL, not a closed socket.
        for (frame, id) in [(#"{"seq":6}"#, "no_action"), (#"{"action":"ping"}"#, "bad_seq"),
                            (#"{"seq":null,"action":"ping"}"#, "bad_seq"), (#"{"seq":7,"action":null}"#, "no_action")] {
            socket.sendText(frame)
            let reply = try await socket.nextReply()
            XCTAssertEqual(reply.error?.id, "api.web_socket_router.\(id).app_error", frame)
        }
        try socket.ping(seq: 8)
        let pong = try await socket.nextReply()
        XCTAssertEqual(pong.seqReply, 8, "the socket is still open")
        await socket.close()
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
        XCTAssertEqual(pong.data?["version"]?.stringValue, ServerVersion.version)
        XCTAssertEqual(pong.data?["node_id"]?.stringValue, "", "wsapi/system.go ping: no cluster")
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

    /// wsapi/user.go userTyping: extends the session past the threshold, tells the channel's other members.
    func testTypingExtendsSessionAndReachesOthers() async throws {
        let server = try self.server
        let (typist, user) = try await server.login("user-1")
        let (reader, _) = try await server.login("user-2")
        let channel = try await server.townSquare(typist)
        let typing = try await connected(server, token: typist)
        let watching = try await connected(server, token: reader)
        let before = try await server.get(APIPath.sessions(user.id), token: typist).decode([Session].self)
        server.clock.advance(byMillis: 8 * 3_600_000)  // past 1% of 720 h

        try typing.send(WebSocketRequest(seq: 2, action: WebSocketRequest.userTyping,
                                         data: ["channel_id": .string(channel.id)]))
        let ok = try await typing.nextReply()
        XCTAssertEqual(ok.status, "OK")
        let event = try await watching.nextEvent()
        XCTAssertEqual(event.event, WebSocketEvent.typing)
        XCTAssertEqual(event.data["user_id"]?.stringValue, user.id)
        XCTAssertEqual(event.broadcast.channelID, channel.id)
        let after = try await server.get(APIPath.sessions(user.id), token: typist).decode([Session].self)
        XCTAssertEqual(after.first?.expiresAt, server.clock.nowMillis + 720 * 3_600_000)
        XCTAssertNotEqual(after.first?.expiresAt, before.first?.expiresAt)

        try typing.send(WebSocketRequest(seq: 3, action: WebSocketRequest.userTyping,
                                         data: ["channel_id": .string(MattermostID.new())]))
        let refused = try await typing.nextReply()
        XCTAssertEqual(refused.error?.id, "api.websocket_handler.invalid_param.app_error")
        await typing.close()
        await watching.close()
    }
}
