import AsyncHTTPClient
import Foundation
import MattermostModel
import NIOCore
import XCTest

/// The web System Console's routes over real HTTP (the pages themselves are tested in Chromium: Tests/Browser).
final class WebConsoleTests: ServerTestCase {
    private func fetch(_ path: String) async throws -> (status: Int, headers: [String: String], body: String) {
        // No redirect following: the redirects are what is checked.
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(redirectConfiguration: .disallow))
        do {
            let response = try await client.execute(HTTPClientRequest(url: try server.base + path), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for (name, value) in response.headers { headers[name.lowercased()] = value }
            try await client.shutdown()
            return (Int(response.status.code), headers, String(buffer: body))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func testRootAndConsoleRedirectToTheUsersPage() async throws {
        for path in ["/", "/admin_console"] {
            let response = try await fetch(path)
            XCTAssertEqual(response.status, 302, path)
            XCTAssertEqual(response.headers["location"], "/admin_console/user_management/users", path)
        }
    }

    func testPagesCarryMattermostsIdsAndLoadOnlyFromThisServer() async throws {
        let login = try await fetch("/login")
        XCTAssertEqual(login.status, 200)
        XCTAssertEqual(login.headers["content-type"], "text/html; charset=utf-8")
        for text in ["Log in to your account", "id=\"input_loginId\"", "id=\"input_password-input\"", "id=\"saveSetting\""] {
            XCTAssertTrue(login.body.contains(text), text)
        }
        let users = try await fetch("/admin_console/user_management/users")
        XCTAssertEqual(users.status, 200)
        XCTAssertTrue(users.body.contains("Revoke All Sessions"))
        XCTAssertTrue(users.body.contains("id=\"systemUsersTable\""))
        for page in [login, users] {
            XCTAssertFalse(page.body.contains("http://") || page.body.contains("https://"), "no CDN, works offline")
            let policy = try XCTUnwrap(page.headers["content-security-policy"])
            XCTAssertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"), policy)
        }
    }

    func testScriptAndStyleAreServedWithTheirTypes() async throws {
        let script = try await fetch("/static/mmsim-console.js")
        XCTAssertEqual(script.status, 200)
        XCTAssertEqual(script.headers["content-type"], "text/javascript; charset=utf-8")
        XCTAssertTrue(script.body.contains("/users/sessions/revoke/all"))
        XCTAssertTrue(script.body.contains("X-CSRF-Token"))
        let style = try await fetch("/static/mmsim-console.css")
        XCTAssertEqual(style.status, 200)
        XCTAssertEqual(style.headers["content-type"], "text/css; charset=utf-8")
    }

    func testOtherPathsStayMattermostsJSON404() async throws {
        for path in ["/static/other.js", "/admin_console/user_management/teams", "/api/v4/nothing"] {
            let response = try await fetch(path)
            XCTAssertEqual(response.status, 404, path)
            let error = try JSONDecoder().decode(AppError.self, from: Data(response.body.utf8))
            XCTAssertEqual(error.id, ErrorID.notFound, path)
        }
    }
}
