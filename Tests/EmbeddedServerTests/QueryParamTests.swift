import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

/// `page`, `per_page` and `since` as Mattermost's web/params.go and getPostsForChannel read them.
final class QueryParamTests: ServerTestCase {
    /// page × per_page beyond Int64 used to trap the server (arithmetic overflow).
    func testHugePageListsNothingInsteadOfCrashing() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let channel = try await server.townSquare(token)
        _ = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "one"), token: token)
        for page in ["153722867280912931", "\(Int64.max)"] {
            let users = try await server.get(APIPath.users + "?page=\(page)", token: token)
            XCTAssertEqual(users.status, 200)
            XCTAssertEqual(try users.decode([User].self).count, 0)
            let posts = try await server.get(APIPath.channelPosts(channel.id) + "?page=\(page)&per_page=200", token: token)
            XCTAssertEqual(posts.status, 200)
            XCTAssertEqual(try posts.decode(PostList.self).order, [])
        }
        let ping = try await server.get(APIPath.ping)
        XCTAssertEqual(ping.status, 200)
    }

    /// A bad or negative page is page 0; a bad or negative per_page is 60; above 200 it is 200.
    func testBadValuesFallBackToMattermostDefaults() async throws {
        let server = try self.server
        try await server.server.ensureUsers(usernames: (1...250).map { "bulk-\($0)" })
        let (token, _) = try await server.login("user-1")
        func count(_ query: String) async throws -> Int {
            let response = try await server.get(APIPath.users + query, token: token)
            XCTAssertEqual(response.status, 200, query)
            return try response.decode([User].self).count
        }
        let firstPage = try await server.get(APIPath.users + "?per_page=3", token: token).decode([User].self)
        for query in ["?page=-1&per_page=3", "?page=abc&per_page=3", "?page=99999999999999999999&per_page=3"] {
            let users = try await server.get(APIPath.users + query, token: token).decode([User].self)
            XCTAssertEqual(users.map(\.id), firstPage.map(\.id), query)
        }
        for query in ["", "?per_page=-5", "?per_page=x", "?per_page=99999999999999999999"] {
            let listed = try await count(query)
            XCTAssertEqual(listed, 60, query)
        }
        let capped = try await count("?per_page=1000")
        XCTAssertEqual(capped, 200)
        let none = try await count("?per_page=0")
        XCTAssertEqual(none, 0)
    }

    /// `since`: not an Int64 → 400 invalid_url_param; zero or negative → the newest page.
    func testSinceParsing() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let channel = try await server.townSquare(token)
        let post = try await server.post(APIPath.posts, CreatePostRequest(channelID: channel.id, message: "hi"),
                                         token: token).decode(Post.self)
        for bad in ["yesterday", "1e300", "-99999999999999999999", "1.5"] {
            let response = try await server.get(APIPath.channelPosts(channel.id) + "?since=\(bad)", token: token)
            XCTAssertEqual(response.status, 400, bad)
            XCTAssertEqual(try response.appError().id, ErrorID.invalidURLParam, bad)
        }
        for listsAll in ["0", "-5"] {
            let list = try await server.get(APIPath.channelPosts(channel.id) + "?since=\(listsAll)", token: token)
            XCTAssertEqual(try list.decode(PostList.self).order, [post.id], listsAll)
        }
    }
}
