import AsyncHTTPClient
import EmbeddedServer
import FaultProxy
import Foundation
import MattermostModel
import NIOCore
import XCTest

/// The fault proxy listens on 127.0.0.1 too: a page that rebinds its own name to this machine must not reach the
/// server through it (it logged in as sysadmin and revoked every session with `Host: evil.example`).
final class ProxyHostTests: XCTestCase {
    func testTheProxyRefusesARebindingHostAndServesLoopbackNames() async throws {
        let w = try await World.start()
        let login = #"{"login_id":"sysadmin","password":"\#(SeedAccounts.adminPassword)"}"#
        func post(host: String) async throws -> (status: UInt, body: String) {
            var request = HTTPClientRequest(url: "\(w.proxy.baseURL)/phone/phone-1\(APIPath.login)")
            request.method = .POST
            request.headers.replaceOrAdd(name: "Host", value: host)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: login))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status.code, String(buffer: body))
        }
        let refused = try await post(host: "evil.example:\(w.proxy.port)")
        XCTAssertEqual(refused.status, 403, refused.body)
        XCTAssertTrue(refused.body.contains("mmsim.host.not_loopback"), refused.body)
        let served = try await post(host: "localhost:\(w.proxy.port)")
        XCTAssertEqual(served.status, 200, served.body)
        await w.stop()
    }
}
