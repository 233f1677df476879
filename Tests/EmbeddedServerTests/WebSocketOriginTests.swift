import EmbeddedServer
import Foundation
import HTTPTypes
import MattermostModel
import XCTest

/// Cross-site WebSocket hijacking: a page on another origin opening the socket with the admin's cookie.
final class WebSocketOriginTests: ServerTestCase {
    private func cookieHeader(_ server: TestServer) async throws -> String {
        let (token, user) = try await server.login("sysadmin")
        return "MMAUTHTOKEN=\(token); MMUSERID=\(user.id)"
    }

    private var port: Int {
        get throws { try server.server.port }
    }

    /// The raw upgrade's answer: its status line's code.
    private func upgradeStatus(origin: String?, cookie: String) throws -> Int? {
        let socket = try RawSocket(port: try port)
        var request = "GET \(APIPath.websocket) HTTP/1.1\r\nHost: 127.0.0.1:\(try port)\r\nConnection: Upgrade, close\r\n"
            + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Cookie: \(cookie)\r\n"
        if let origin { request += "Origin: \(origin)\r\n" }
        socket.send(request + "\r\n")
        let bytes = socket.read(until: "\r\n")
        let head = String(decoding: bytes.prefix(64), as: UTF8.self)
        return head.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    func testAnotherOriginIsRefusedWithTheSessionCookie() async throws {
        let cookie = try await cookieHeader(try server)
        // `ws://127.0.0.1` without the port: what HummingbirdWSClient sends, and what Mattermost refuses.
        for origin in ["http://evil.example", "http://127.0.0.1:1", "null", "http://127.0.0.1:\(try port).evil.example",
                       "ws://127.0.0.1"] {
            // Mattermost answers 403; Hummingbird's declined upgrade is 400. Either way: no 101.
            XCTAssertEqual(try upgradeStatus(origin: origin, cookie: cookie), 400, origin)
        }
    }

    func testTheSameOriginAndNoOriginAreUpgraded() async throws {
        let cookie = try await cookieHeader(try server)
        for origin in ["http://127.0.0.1:\(try port)", "HTTP://127.0.0.1:\(try port)", "ws://127.0.0.1:\(try port)", nil] {
            XCTAssertEqual(try upgradeStatus(origin: origin, cookie: cookie), 101, origin ?? "no Origin")
        }
    }

    /// A refused upgrade never reaches the hub: no hello, the socket closes.
    func testRefusedOriginGetsNoEvents() async throws {
        let server = try self.server
        let cookie = try await cookieHeader(server)
        let socket = TestSocket.connect(server, headers: [.cookie: cookie, .origin: "http://evil.example"])
        let frame = try await socket.next()
        XCTAssertNil(frame)
        XCTAssertTrue(socket.isClosed)
    }
}
