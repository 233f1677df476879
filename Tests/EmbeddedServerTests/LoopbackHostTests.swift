import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

/// DNS rebinding: a page on another site whose name now points at 127.0.0.1 reaches the loopback server with its
/// own name in `Host`. The server answers only to loopback names, over HTTP and for the WebSocket upgrade.
final class LoopbackHostTests: ServerTestCase {
    private var port: Int {
        get throws { try server.server.port }
    }

    /// The raw exchange's status code and body.
    private func exchange(_ requestLine: String, host: String, extra: String = "") throws -> (status: Int?, text: String) {
        let socket = try RawSocket(port: try port)
        socket.send("\(requestLine)\r\nHost: \(host)\r\nConnection: close\r\n\(extra)\r\n")
        let text = String(decoding: socket.readToEnd().bytes, as: UTF8.self)
        let status = text.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return (status, text)
    }

    func testARebindingHostIsRefusedWithAReason() throws {
        for host in ["evil.example:\(try port)", "evil.example", "127.0.0.1.evil.example", "localhost.evil.example:1",
                     "127.0.0.256", "0x7f.0.0.1", "docker.internal", "[evil.example]:80"] {
            let answer = try exchange("GET /api/v4/system/ping HTTP/1.1", host: host)
            XCTAssertEqual(answer.status, 403, "\(host): \(answer.text)")
            XCTAssertTrue(answer.text.contains("mmsim.host.not_loopback"), answer.text)
        }
        // The login that rebinding is after, and the web console page.
        let body = #"{"login_id":"sysadmin","password":"Sys@dmin-sample1"}"#
        let login = try exchange("POST /api/v4/users/login HTTP/1.1", host: "evil.example:\(try port)",
                                 extra: "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        XCTAssertEqual(login.status, 403, login.text)
        XCTAssertFalse(login.text.lowercased().contains("token:"), "no session was made")
        XCTAssertEqual(try exchange("GET /login HTTP/1.1", host: "evil.example").status, 403)
    }

    func testLoopbackNamesAreServed() throws {
        // IP literals are no rebinding page's (it sends its own name): the Android emulator's alias for the host,
        // IPv6 written long or bare, Docker Desktop's name for the host.
        for host in ["127.0.0.1:\(try port)", "localhost:\(try port)", "LOCALHOST", "[::1]:\(try port)", "127.1.2.3",
                     "app.localhost:\(try port)", "localhost.", "10.0.2.2:\(try port)", "[0:0:0:0:0:0:0:1]:\(try port)",
                     "::1", "host.docker.internal:\(try port)"] {
            let answer = try exchange("GET /api/v4/system/ping HTTP/1.1", host: host)
            XCTAssertEqual(answer.status, 200, "\(host): \(answer.text)")
        }
    }

    func testTheWebSocketUpgradeRefusesARebindingHost() throws {
        let upgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        XCTAssertEqual(try exchange("GET \(APIPath.websocket) HTTP/1.1", host: "evil.example:\(try port)",
                                    extra: upgrade + "Origin: http://evil.example:\(try port)\r\n").status, 400)
        let socket = try RawSocket(port: try port)
        socket.send("GET \(APIPath.websocket) HTTP/1.1\r\nHost: localhost:\(try port)\r\n\(upgrade)\r\n")
        let head = String(decoding: socket.read(until: "\r\n"), as: UTF8.self)
        XCTAssertTrue(head.contains(" 101 "), head)
    }

    /// A page of another site can send a login it cannot read the answer of: ten of them locked a seeded account.
    /// A change needs no Origin (curl, a client library) or this server's own; reading is not refused.
    func testChangesFromAnotherSitesPageAreRefused() throws {
        let host = "127.0.0.1:\(try port)"
        let body = #"{"login_id":"user-3","password":"wrong"}"#
        let form = "Content-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
        for _ in 0..<12 {
            let answer = try exchange("POST /api/v4/users/login HTTP/1.1", host: host,
                                      extra: "Origin: http://evil.example\r\n" + form + "\r\n" + body)
            XCTAssertEqual(answer.status, 403, answer.text)
            XCTAssertTrue(answer.text.contains("mmsim.origin.cross_site"), answer.text)
        }
        let good = #"{"login_id":"user-3","password":"SampleUser@1"}"#
        let login = try exchange("POST /api/v4/users/login HTTP/1.1", host: host,
                                 extra: "Origin: http://\(host)\r\nContent-Type: application/json\r\nContent-Length: \(good.utf8.count)\r\n\r\n" + good)
        XCTAssertEqual(login.status, 200, "not locked, and this server's own page may log in: \(login.text)")
        let read = try exchange("GET /api/v4/system/ping HTTP/1.1", host: host, extra: "Origin: http://evil.example\r\n")
        XCTAssertEqual(read.status, 200, read.text)
    }

    /// Bound to every address, the server answers any name, but a change from another site's page is still refused:
    /// the browser of the tester reaches it at 127.0.0.1 all the same.
    func testAServerBoundElsewhereStillRefusesCrossSiteChanges() async throws {
        let open = try await TestServer.start { $0.host = "0.0.0.0" }
        let socket = try RawSocket(port: open.server.port)
        let body = #"{"login_id":"user-3","password":"wrong"}"#
        socket.send("POST /api/v4/users/login HTTP/1.1\r\nHost: mmsim.lan:\(open.server.port)\r\nConnection: close\r\n"
                    + "Origin: http://evil.example\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        let text = String(decoding: socket.readToEnd().bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 403"), text)
        XCTAssertTrue(text.contains("mmsim.origin.cross_site"), text)
        let ping = try await open.get(APIPath.ping)
        XCTAssertEqual(ping.status, 200)
        await open.stop()
    }
}
