import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

final class ErrorTests: ServerTestCase {
    func testMalformedJSONAndWrongTypesAre400() async throws {
        let server = try self.server
        // A body without a password is a blank password (LoginTests), not a malformed one.
        let bodies = ["{not json", "[]", "{\"login_id\": 5, \"password\": \"x\"}", ""]
        for body in bodies {
            let response = try await server.request(.POST, APIPath.login, body: Data(body.utf8))
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(try response.appError().id, ErrorID.invalidParam, body)
        }
        let (token, user) = try await server.login("user-1")
        let wrongType = try await server.request(.POST, APIPath.revokeSession(user.id), token: token,
                                                 body: Data("{\"session_id\": true}".utf8))
        XCTAssertEqual(wrongType.status, 400)
        let (admin, _) = try await server.login("sysadmin")
        let badActive = try await server.request(.PUT, APIPath.active(user.id), token: admin,
                                                 body: Data("{\"active\": \"no\"}".utf8))
        XCTAssertEqual(badActive.status, 400)
        _ = try badActive.appError()
    }

    func testUnknownAndMalformedIDs() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let unknown = try await server.get(APIPath.user(MattermostID.new()), token: token)
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(try unknown.appError().id, ErrorID.userNotFound)
        let malformed = try await server.get(APIPath.user("not-an-id"), token: token)
        XCTAssertEqual(malformed.status, 400)
        XCTAssertEqual(try malformed.appError().id, ErrorID.invalidURLParam)
    }

    func testBodyOverLimitIs413() async throws {
        let server = try self.server
        let big = Data(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
        let response = try await server.request(.POST, APIPath.login, body: big)
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(try response.appError().id, ErrorID.tooLarge)
        let status = try await server.get(APIPath.ping).status
        XCTAssertEqual(status, 200, "the server is still fine")
    }

    func testUnknownRouteIs404AppError() async throws {
        let server = try self.server
        for path in ["/api/v4/nothing/here", "/elsewhere"] {
            let response = try await server.get(path)
            XCTAssertEqual(response.status, 404)
            XCTAssertEqual(try response.appError().id, ErrorID.notFound)
        }
    }

    func testUserListPaging() async throws {
        let server = try self.server
        let (token, _) = try await server.login("user-1")
        let all = try await server.get(APIPath.users, token: token).decode([User].self)
        XCTAssertEqual(all.map(\.username), ["sysadmin", "user-1", "user-2", "user-3"])
        let page = try await server.get(APIPath.users + "?page=1&per_page=2", token: token).decode([User].self)
        XCTAssertEqual(page.map(\.username), ["user-2", "user-3"])
    }
}
