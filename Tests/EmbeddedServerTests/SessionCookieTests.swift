import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

/// The session cookies' attributes, as Mattermost's AttachSessionCookies sets them.
final class SessionCookieTests: ServerTestCase {
    /// Each Set-Cookie's attributes by cookie name; the values (a session token) stay out of failure messages.
    private func setCookies(_ response: TestResponse) -> [String: String] {
        Dictionary(uniqueKeysWithValues: response.headers["Set-Cookie"].map { line in
            (String(line.prefix { $0 != "=" }), String(line.drop { $0 != ";" }))
        })
    }

    /// Behind a proxy that took https (X-Forwarded-Proto), Secure: the browser never sends the session over http.
    func testCookiesAreSecureWhenTheRequestCameOverHTTPS() async throws {
        let server = try self.server
        let login = LoginRequest(loginID: "sysadmin", password: "Sys@dmin-sample1", deviceID: nil)
        let proxied = setCookies(try await server.post(APIPath.login, login, headers: [("X-Forwarded-Proto", "https")]))
        let plain = setCookies(try await server.post(APIPath.login, login))
        for name in [APIPath.authCookie, "MMUSERID", "MMCSRF"] {
            XCTAssertTrue(proxied[name]?.contains("; Secure") ?? false, "\(name): \(proxied[name] ?? "missing")")
            XCTAssertFalse(plain[name]?.contains("Secure") ?? true, "\(name) over plain http: \(plain[name] ?? "missing")")
        }
        let logout = setCookies(try await server.post(APIPath.logout, headers: [("X-Forwarded-Proto", "https")]))
        XCTAssertTrue(logout[APIPath.authCookie]?.contains("; Secure") ?? false, "the clearing cookie matches the one it clears")
    }
}
