import AsyncHTTPClient
import EmbeddedServer
import Foundation
import MattermostModel
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What a client cannot do to the server's connections: hold one open with a slow or unparseable request,
/// get a 5xx or a bare error for a malformed one, or keep an HTTP/1.0 connection open.
final class ConnectionLimitTests: XCTestCase {
    private var server: EmbeddedServer!

    override func setUp() async throws {
        var config = ServerConfiguration(port: 0, bcryptCost: 4)
        config.connectionLimits = .init(requestTimeout: .seconds(1), idleTimeout: .seconds(2), maxHeaderBytes: 16 * 1024)
        server = try await EmbeddedServer.start(config)
    }

    /// Bounded: a server that holds connections forever also never finishes a graceful stop.
    override func tearDown() async throws {
        let server = self.server!
        let stopped = await happens(within: 10) { await server.stop() }
        XCTAssertTrue(stopped, "the server did not stop within 10 s: connections still held")
    }

    /// Sends `request` raw; expects one 4xx AppError response and the server closing the connection.
    private func assertRefused(_ request: [UInt8], _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let socket = try RawSocket(port: server.port)
        socket.send(request)
        let (bytes, closed) = socket.readToEnd()
        XCTAssertTrue(closed, "\(label): the connection stayed open", file: file, line: line)
        guard let response = RawResponse(bytes) else {
            return XCTFail("\(label): no HTTP response in \(bytes.count) bytes", file: file, line: line)
        }
        XCTAssertTrue((400..<500).contains(response.status), "\(label): status \(response.status)", file: file, line: line)
        let error = try? JSONDecoder().decode(AppError.self, from: response.body)
        XCTAssertEqual(error?.statusCode, response.status, "\(label): not an AppError: \(String(decoding: bytes, as: UTF8.self))",
                       file: file, line: line)
        XCTAssertEqual(response.trailing, 0, "\(label): bytes after the response", file: file, line: line)
    }

    func testUnparseableRequestsGetA400AppErrorAndClose() throws {
        let cases: [(String, [UInt8])] = [
            ("garbage", [0x00, 0x01, 0xFF] + Array("hello\r\n\r\n".utf8)),
            ("unknown method", Array("FROB /api/v4/system/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)),
            ("bad Content-Length", Array("POST /api/v4/users/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}".utf8)),
            ("HTTP/2 preface", Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)),
            ("200 KB header", Array("GET /api/v4/system/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(String(repeating: "a", count: 200_000))\r\n\r\n".utf8)),
        ]
        for (label, request) in cases { try assertRefused(request, label) }
    }

    func testCONNECTAndUnroutedMethodsGetA4xxAppError() throws {
        try assertRefused(Array("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n".utf8), "CONNECT")
        try assertRefused(Array("PROPFIND /api/v4/users HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8), "PROPFIND")
    }

    /// A chunk size that is not hexadecimal, on the login route: the body cannot be read, which is a 400.
    func testABadChunkedLoginBodyIsA400() throws {
        try assertRefused(Array("""
            POST /api/v4/users/login HTTP/1.1\r
            Host: 127.0.0.1\r
            Content-Type: application/json\r
            Transfer-Encoding: chunked\r
            \r
            ZZ\r
            {"login_id":"user-1"}\r
            0\r
            \r

            """.utf8), "bad chunk")
    }

    /// HTTP/1.0 without keep-alive: the server closes after the response (the idle timeout is 2 s; this waits 1.5).
    func testHTTP10ClosesAfterTheResponse() throws {
        let socket = try RawSocket(port: server.port, timeout: 1.5)
        socket.send("GET /api/v4/system/ping HTTP/1.0\r\n\r\n")
        let (bytes, closed) = socket.readToEnd()
        XCTAssertEqual(RawResponse(bytes)?.status, 200)
        XCTAssertTrue(closed, "the HTTP/1.0 connection stayed open")
    }

    /// After the upgrade the request deadline no longer applies: a WebSocket may stay silent, or send something
    /// the server does not answer, for longer than the request timeout (1 s here) and still be served.
    func testAWebSocketOutlivesTheRequestTimeout() async throws {
        let test = TestServer(server: server, clock: server.configuration.clock)
        let (token, _) = try await test.login("user-1")
        let socket = TestSocket.connect(test)
        try socket.authenticate(token: token)
        let hello = try await socket.nextEvent()
        XCTAssertEqual(hello.event, WebSocketEvent.hello)
        _ = try await socket.nextReply()
        // A second challenge on an authenticated socket gets no answer (as in Mattermost): bytes in, none out.
        try socket.authenticate(seq: 2, token: token)
        // The passing of time is what is tested here: longer than the request timeout.
        try await Task.sleep(for: .milliseconds(1_500))
        try socket.ping(seq: 3)
        let reply = try await socket.nextReply()
        XCTAssertEqual(reply.seqReply, 3)
        XCTAssertFalse(socket.isClosed)
        await socket.close()
    }

    /// 150 hostile connections (silent, slowloris, garbage left open) neither starve the server nor spin it:
    /// a normal request still answers at once, the process stays near idle, and every one of them is closed
    /// within the request timeout (1 s here) plus a margin.
    func testHostileConnectionsAreBoundedAndCheap() async throws {
        var sockets: [RawSocket] = []
        for index in 0..<150 {
            let socket = try RawSocket(port: server.port, timeout: 5)
            switch index % 3 {
            case 0: break
            case 1: socket.send("GET /api/v4/system/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            default: socket.send([0x16, 0x03, 0x01, 0x00, 0xFF, 0x01] + Array(repeating: 0x41, count: 64))
            }
            sockets.append(socket)
        }
        let started = ContinuousClock.now
        var request = HTTPClientRequest(url: server.baseURL + APIPath.ping)
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        XCTAssertEqual(response.status.code, 200)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1), "a normal request waited behind the hostile ones")

        let cpuBefore = Self.cpuSeconds()
        let wallBefore = ContinuousClock.now
        var closed = 0
        let deadline = ContinuousClock.now + .seconds(4)
        for socket in sockets where socket.readToEnd(deadline: deadline).closed { closed += 1 }
        let wall = ContinuousClock.now - wallBefore
        let cpu = Self.cpuSeconds() - cpuBefore
        XCTAssertEqual(closed, 150, "connections the server left open")
        XCTAssertLessThan(wall, .seconds(4))
        XCTAssertLessThan(cpu, 0.5 + wall.seconds * 0.25, "the server spun while holding the connections")
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }
}

private extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
