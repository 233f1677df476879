@testable import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

/// The teams, channels and posts lists are answered from bytes kept by value (EncodedBodies); a changed row is a
/// different value, so it must never get the old bytes. And a login's session is cached at once.
final class EncodedBodiesTests: ServerTestCase {
    private func assertFresh<T: Codable & Equatable>(_ response: TestResponse, as type: T.Type,
                                                     file: StaticString = #filePath, line: UInt = #line) throws -> T {
        XCTAssertEqual(response.status, 200, file: file, line: line)
        XCTAssertEqual(response.headers.first(name: "Content-Type"), "application/json", file: file, line: line)
        let value = try response.decode(T.self)
        // Same JSON as encoding the decoded value afresh (compared as objects: dictionaries have no stable key order).
        let got = try JSONSerialization.jsonObject(with: response.body) as? NSObject
        let want = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(value)) as? NSObject
        XCTAssertNotNil(want, file: file, line: line)
        XCTAssertEqual(got, want, file: file, line: line)
        return value
    }

    func testListsStayFreshAfterAPost() async throws {
        let (token, _) = try await server.login("user-1")
        let (other, _) = try await server.login("user-2")
        let channel = try await server.townSquare(token)
        let path = APIPath.myChannels(team: channel.teamID)
        let before = try assertFresh(try await server.get(path, token: other), as: [MattermostModel.Channel].self)
        let emptyPosts = try assertFresh(try await server.get(APIPath.channelPosts(channel.id), token: other),
                                         as: PostList.self)
        let created = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "hello"),
                                            token: token).status
        XCTAssertEqual(created, 201)
        let after = try assertFresh(try await server.get(path, token: other), as: [MattermostModel.Channel].self)
        XCTAssertNotEqual(after, before)
        let town = try XCTUnwrap(after.first { $0.id == channel.id })
        XCTAssertEqual(town.totalMsgCount, channel.totalMsgCount + 1)
        let posts = try assertFresh(try await server.get(APIPath.channelPosts(channel.id), token: other),
                                    as: PostList.self)
        XCTAssertEqual(posts.order.count, emptyPosts.order.count + 1)
        XCTAssertGreaterThan(EncodedBodies.count, 0)
    }

    func testLoginCachesItsSessionAndARevokeStillWins() async throws {
        let store = try server.server.store
        let (token, _) = try await server.login("user-1", deviceID: "phone")
        guard case .hit = store.cache.session(tokenHash: TokenHash.hex(token)) else {
            return XCTFail("login did not cache its session")
        }
        let (admin, _) = try await server.login("sysadmin")
        let revoked = try await server.post(APIPath.revokeAllInSystem, token: admin).status
        XCTAssertEqual(revoked, 200)
        let me = try await server.me(token)
        XCTAssertEqual(me.status, 401)
        XCTAssertEqual(try me.appError().id, ErrorID.sessionExpired)
    }

    /// Big lists are answered but never kept: 200 posts of 16,383 control characters made ~20 MiB of JSON a page
    /// and 256 such pages were kept (the server grew past 1 GiB for one user's asking).
    func testABigPageIsNotKept() throws {
        struct Big: Encodable, Hashable, Sendable { let text: String }
        let big = Big(text: String(repeating: "\u{1}", count: EncodedBodies.maxEntryBytes))
        let before = EncodedBodies.count
        let body = try EncodedBodies.bytes(big)
        XCTAssertGreaterThan(body.readableBytes, EncodedBodies.maxEntryBytes)
        XCTAssertEqual(EncodedBodies.count, before, "not kept")
        for index in 0..<100 {
            _ = try EncodedBodies.bytes(Big(text: String(repeating: "\u{1}", count: 40_000) + "\(index)"))
            XCTAssertLessThanOrEqual(EncodedBodies.bytes, EncodedBodies.budgetBytes)
        }
    }
}
