import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

final class PostTests: ServerTestCase {
    func testTeamsAndChannels() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let teams = try await server.get(APIPath.myTeams, token: token).decode([Team].self)
        XCTAssertEqual(teams.map(\.name), ["qa"])
        XCTAssertEqual(teams.first?.displayName, "QA")
        let channels = try await server.get(APIPath.myChannels(team: teams[0].id), token: token).decode([MattermostModel.Channel].self)
        XCTAssertEqual(Set(channels.map(\.name)), ["town-square", "off-topic"])
        XCTAssertEqual(Set(channels.map(\.displayName)), ["Town Square", "Off-Topic"])
        let other = try await server.get(APIPath.myChannels(team: MattermostID.new()), token: token)
        XCTAssertEqual(other.status, 403)
    }

    func testPostRoundTripAndSince() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let channel = try await server.townSquare(token)

        let created = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "hello"),
                                            token: token)
        XCTAssertEqual(created.status, 201)
        let first = try created.decode(Post.self)
        XCTAssertEqual(first.message, "hello")
        XCTAssertEqual(first.userID, user.id)
        XCTAssertEqual(first.createAt, server.clock.nowMillis)
        let mark = server.clock.nowMillis

        server.clock.advance(byMillis: 1_000)
        let second = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "again"),
                                           token: token).decode(Post.self)

        let all = try await server.get(APIPath.channelPosts(channel.id), token: token).decode(PostList.self)
        XCTAssertEqual(all.order, [second.id, first.id], "newest first")
        XCTAssertEqual(all.chronological.map(\.message), ["hello", "again"])

        let since = try await server.get(APIPath.channelPosts(channel.id) + "?since=\(mark)", token: token)
            .decode(PostList.self)
        XCTAssertEqual(since.order, [second.id])

        let (reader, _) = try await server.login("user-2")
        let seen = try await server.get(APIPath.channelPosts(channel.id), token: reader).decode(PostList.self)
        XCTAssertEqual(seen.posts[first.id]?.message, "hello")
    }

    func testPendingPostIDIsIdempotent() async throws {
        let server = try self.server
        let (token, user) = try await server.login("user-1")
        let channel = try await server.townSquare(token)
        let request = CreatePostRequest(channelID: channel.id, message: "typed offline",
                                        pendingPostID: "\(user.id):\(server.clock.nowMillis)")
        let one = try await server.post(APIPath.posts, request, token: token).decode(Post.self)
        server.clock.advance(byMillis: 10 * 60_000)  // a retry minutes later, as after an offline spell
        let two = try await server.post(APIPath.posts, request, token: token).decode(Post.self)
        XCTAssertEqual(one.id, two.id)
        XCTAssertEqual(two.pendingPostID, request.pendingPostID)
        let list = try await server.get(APIPath.channelPosts(channel.id), token: token).decode(PostList.self)
        XCTAssertEqual(list.order, [one.id])
    }

    func testPostErrors() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let unknown = try await server.post(APIPath.posts, CreatePostRequest(channelID: MattermostID.new(), message: "x"),
                                            token: token)
        XCTAssertEqual(unknown.status, 404)
        _ = try unknown.appError()
        let malformed = try await server.post(APIPath.posts, CreatePostRequest(channelID: "nope", message: "x"),
                                              token: token)
        XCTAssertEqual(malformed.status, 400)
        let channel = try await server.townSquare(token)
        let empty = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "  "),
                                          token: token)
        XCTAssertEqual(empty.status, 400)
        let badSince = try await server.get(APIPath.channelPosts(channel.id) + "?since=yesterday", token: token)
        XCTAssertEqual(badSince.status, 400)
        let status = try await server.get(APIPath.channelPosts("bad-id"), token: token).status
        XCTAssertEqual(status, 400)
        let status2 = try await server.get(APIPath.channelPosts(MattermostID.new()), token: token).status
        XCTAssertEqual(status2, 404)
        let noAuth = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "x"))
        XCTAssertEqual(noAuth.status, 401)
    }

    /// A reply's root must be a post of that channel (Mattermost's 400 `api.post.create_post.root_id.app_error`),
    /// and a NUL, which SQLite would cut the message at when read back, is refused rather than stored.
    func testARootMustExistAndANulIsRefused() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let channel = try await server.townSquare(token)
        var orphan = CreatePostRequest(channelID: channel.id, message: "reply")
        orphan.rootID = MattermostID.new()
        let refused = try await server.post(APIPath.posts, orphan, token: token)
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(try refused.appError().id, "api.post.create_post.root_id.app_error")
        let root = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "root"),
                                         token: token).decode(Post.self)
        var reply = CreatePostRequest(channelID: channel.id, message: "reply")
        reply.rootID = root.id
        let replied = try await server.post(APIPath.posts, reply, token: token)
        XCTAssertEqual(replied.status, 201)
        // A reply to a reply, and a root of another channel, are refused as CreatePost refuses them.
        var nested = CreatePostRequest(channelID: channel.id, message: "nested")
        nested.rootID = try replied.decode(Post.self).id
        let refusedNested = try await server.post(APIPath.posts, nested, token: token)
        XCTAssertEqual(try refusedNested.appError().id, "api.post.create_post.root_id.app_error")
        let teamID = channel.teamID
        let offTopic = try await server.get(APIPath.myChannels(team: teamID), token: token)
            .decode([MattermostModel.Channel].self).first { $0.id != channel.id }
        var elsewhere = CreatePostRequest(channelID: try XCTUnwrap(offTopic).id, message: "elsewhere")
        elsewhere.rootID = root.id
        let refusedElsewhere = try await server.post(APIPath.posts, elsewhere, token: token)
        XCTAssertEqual(refusedElsewhere.status, 400)
        XCTAssertEqual(try refusedElsewhere.appError().id, "api.post.create_post.channel_root_id.app_error")

        let nul = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "hello\u{0}world"),
                                        token: token)
        XCTAssertEqual(nul.status, 400)
        XCTAssertEqual(try nul.appError().id, ErrorID.invalidParam)
        let list = try await server.get(APIPath.channelPosts(channel.id), token: token).decode(PostList.self)
        XCTAssertFalse(list.posts.values.contains { $0.message.hasPrefix("hello") }, "nothing half-stored")
        // The id a retry is matched by is stored text too.
        let nulID = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "retry",
                                                                           pendingPostID: "abc\u{0}def"), token: token)
        XCTAssertEqual(nulID.status, 400)
    }

    /// Mattermost counts runes: 16,383 of them pass however many characters they make; one more is refused.
    func testMessageLengthCountsRunes() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let channel = try await server.townSquare(token)
        // "e" + combining acute: two runes, one Character.
        let accented = "e\u{301}"
        let atLimit = String(repeating: accented, count: 16_383 / 2) + "x"
        XCTAssertEqual(atLimit.unicodeScalars.count, 16_383)
        let accepted = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: atLimit),
                                             token: token)
        XCTAssertEqual(accepted.status, 201)
        for tooLong in [atLimit + "y", String(repeating: accented, count: 50_001)] {
            let refused = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: tooLong),
                                                token: token)
            XCTAssertEqual(refused.status, 400)
            XCTAssertEqual(try refused.appError().id, "model.post.is_valid.message_length.app_error")
        }
    }
}
