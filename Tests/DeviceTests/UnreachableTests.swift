import Device
import EmbeddedServer
import Foundation
import Hummingbird
import Logging
import MattermostClient
import MattermostModel
import XCTest

/// Only a 401 logs out: a closed port, 5xx and a captive portal's HTML leave the phone logged in and retrying.
final class UnreachableTests: XCTestCase {
    func testServerDownThenBackThenRevokedLogsOutOnlyOnTheReal401() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-srv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let h = try await Harness.start(serverData: data)
        await h.launchAndLogin(h.phone)
        let port = h.server.port
        await h.phone.send(.setAirplane(true))
        await h.server.stop()

        await h.phone.send(.setAirplane(false))
        await h.simulation.settle()
        var state = await h.phone.state
        XCTAssertEqual(state.banner, .unreachable)
        XCTAssertTrue(state.isLoggedIn)
        XCTAssertEqual(state.screen, .channels)
        await h.simulation.advance(byMillis: 2 * 60_000)
        state = await h.phone.state
        XCTAssertTrue(state.isLoggedIn)
        XCTAssertGreaterThan(state.failures, 7, "retried on the clock")
        let retries = state.timeline.entries.filter { $0.text.hasPrefix("GET /api/v4/users/me → network") }.count
        XCTAssertGreaterThan(retries, 7)

        // The same server comes back with the same data: the session is still valid.
        let again = try await EmbeddedServer.start(ServerConfiguration(port: port, dataDirectory: data, bcryptCost: 4, clock: h.clock))
        await h.simulation.advance(byMillis: 5 * 60_000)
        state = await h.phone.state
        XCTAssertEqual(state.connection, .live)
        XCTAssertTrue(state.isLoggedIn)

        // Now a real revocation: found by the next ping.
        await h.simulation.console.revokeAllSessions()
        await h.simulation.advance(byMillis: Intervals.pingMillis)
        state = await h.phone.state
        XCTAssertEqual(state.screen, .login)
        await again.stop()
        await h.stop()
    }

    func testServerErrorsAndNonJSONNeverLogOut() async throws {
        for fault in [FaultServer.Fault.status(500), .status(502), .status(503), .html] {
            let faulty = try await FaultServer.start(fault)
            let h = try await Harness.start(serverURL: faulty.url)
            // A phone that was logged in to this server: a token and an account in its cache.
            let phone = h.phone
            try await phone.seedLoggedIn(userID: "u1", username: "user-1", token: "not-a-real-token")
            await phone.powerOn()
            await h.simulation.advance(byMillis: 60_000)
            let state = await phone.state
            XCTAssertTrue(state.isLoggedIn, "\(fault)")
            XCTAssertEqual(state.screen, .channels, "\(fault)")
            XCTAssertEqual(state.banner, .unreachable, "\(fault)")
            XCTAssertGreaterThan(state.failures, 3, "\(fault)")
            let empty = await phone.tokenCacheIsEmpty()
            XCTAssertFalse(empty, "\(fault)")
            await h.stop()
            try await faulty.stop()
        }
    }
}

extension Phone {
    /// Writes what a logged-in phone leaves on disk, for starting a phone against a server that cannot log anyone in.
    func seedLoggedIn(userID: String, username: String, token: String) throws {
        try AtomicFile.ensurePrivateFolder(configuration.dataDirectory)
        let store = try LocalStore(path: configuration.dataDirectory.appendingPathComponent("store.sqlite").path)
        try store.apply(.account(User(id: userID, createAt: 0, username: username, email: "", roles: "system_user")),
                        server: configuration.serverURL)
        try TokenCache(folder: configuration.dataDirectory.appendingPathComponent("keychain"))
            .write(.init(serverURL: configuration.serverURL, token: token, userID: userID))
    }
}

/// A server that answers every request with the same fault.
struct FaultServer {
    enum Fault: Sendable { case status(Int), html }
    let url: String
    let task: Task<Void, Error>

    static func start(_ fault: Fault) async throws -> FaultServer {
        let router = Router()
        router.get("**") { _, _ -> Hummingbird.Response in
            switch fault {
            case .status(let code):
                return Hummingbird.Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "oops")))
            case .html:
                var headers = HTTPFields()
                headers[.contentType] = "text/html"
                return Hummingbird.Response(status: .ok, headers: headers,
                                body: .init(byteBuffer: ByteBuffer(string: "<html><body>Sign in to the Wi-Fi</body></html>")))
            }
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        // Stopped by cancellation, which Hummingbird reports at error level: not worth a line in a green run.
        var quiet = Logger(label: "test.fault-server")
        quiet.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: quiet)
        let task = Task { try await app.runService() }
        var port = 0
        for await value in stream { port = value; break }
        return FaultServer(url: "http://127.0.0.1:\(port)", task: task)
    }

    func stop() async throws {
        task.cancel()
        _ = await task.result
    }
}

