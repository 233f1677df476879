import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

/// `POST /api/v4/users/search` as api4/user.go searchUsers answers the System Console's search box.
final class UserSearchTests: ServerTestCase {
    private func search(_ server: TestServer, _ body: String, token: String) async throws -> TestResponse {
        try await server.request(.POST, APIPath.userSearch, token: token, body: Data(body.utf8))
    }

    func testMatchesAUsernameOrEmailPrefixAnyCaseInUsernameOrder() async throws {
        let server = try self.server
        try await server.server.ensureUsers(usernames: ["user-10", "user-11", "other_1", "otherx1"])
        let (token, _) = try await server.login("sysadmin")
        let found = try await search(server, #"{"term":"USER-1"}"#, token: token).decode([User].self).map(\.username)
        XCTAssertEqual(found, ["user-1", "user-10", "user-11"])
        let byAt = try await search(server, #"{"term":"@user-1"}"#, token: token).decode([User].self).map(\.username)
        XCTAssertEqual(byAt, found, "a leading @ is dropped")
        // LIKE's wildcards are literal characters of the term.
        let literal = try await search(server, #"{"term":"user%"}"#, token: token).decode([User].self).map(\.username)
        XCTAssertEqual(literal, [])
        let underscore = try await search(server, #"{"term":"other_"}"#, token: token).decode([User].self).map(\.username)
        XCTAssertEqual(underscore, ["other_1"])
        let email = try await search(server, #"{"term":"sysadmin@"}"#, token: token).decode([User].self).map(\.username)
        XCTAssertEqual(email, ["sysadmin"])
    }

    func testLimitAndInactiveUsers() async throws {
        let server = try self.server
        try await server.server.ensureUsers(usernames: (1...120).map { "bulk-\($0)" })
        let (token, _) = try await server.login("sysadmin")
        let byDefault = try await search(server, #"{"term":"bulk"}"#, token: token).decode([User].self)
        XCTAssertEqual(byDefault.count, 100, "limit 0 is UserSearchDefaultLimit")
        let three = try await search(server, #"{"term":"bulk","limit":3}"#, token: token).decode([User].self)
        XCTAssertEqual(three.count, 3)

        let user2 = try await server.get(APIPath.user(username: "user-2"), token: token).decode(User.self)
        let deactivated = try await server.request(.PUT, APIPath.active(user2.id), token: token,
                                                   body: Data(#"{"active":false}"#.utf8))
        XCTAssertEqual(deactivated.status, 200)
        let active = try await search(server, #"{"term":"user-2"}"#, token: token).decode([User].self)
        XCTAssertEqual(active.count, 0, "not without allow_inactive")
        let all = try await search(server, #"{"term":"user-2","allow_inactive":true}"#, token: token).decode([User].self)
        XCTAssertEqual(all.map(\.username), ["user-2"])
    }

    func testATermIsRequiredAndASessionToo() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        for body in [#"{}"#, #"{"term":"  "}"#, #"{"term":"@"}"#] {
            let answer = try await search(server, body, token: token)
            XCTAssertEqual(answer.status, 400, body)
            XCTAssertEqual(try answer.appError().id, ErrorID.invalidParam, body)
        }
        let garbage = try await search(server, "{not json", token: token)
        XCTAssertEqual(garbage.status, 400)
        let anonymous = try await server.request(.POST, APIPath.userSearch, body: Data(#"{"term":"user"}"#.utf8))
        XCTAssertEqual(anonymous.status, 401)
    }
}
