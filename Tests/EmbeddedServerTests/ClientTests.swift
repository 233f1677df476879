import EmbeddedServer
import Foundation
import Hummingbird
import Logging
import MattermostClient
import Synchronization
import XCTest

/// mmsim's client (MattermostAPI, WebSocketConnection) against the embedded server, and against a captive portal.
final class ClientTests: ServerTestCase {
    private func api(_ server: TestServer) -> MattermostAPI { MattermostAPI(baseURL: server.base) }

    func testEntryCallsDecodeTyped() async throws {
        let server = try self.server
        let api = api(server)
        let anonymous = try await api.clientConfig()
        XCTAssertEqual(anonymous.version, ServerVersion.version)
        let license = try await api.clientLicense()
        XCTAssertFalse(license.isLicensed)

        let login = try await api.login(loginID: "user-1", password: "SampleUser@1", deviceID: "phone-1")
        let token = login.token
        let full = try await api.clientConfig(token: token)
        XCTAssertTrue(full.enableReliableWebSockets)
        let preferences = try await api.myPreferences(token: token)
        XCTAssertEqual(preferences, [])
        let sessions = try await api.mySessions(token: token)
        XCTAssertEqual(sessions.map(\.deviceID), ["phone-1"])
        let teamMembers = try await api.myTeamMembers(token: token)
        let teamID = try XCTUnwrap(teamMembers.first?.teamID)
        let channelMembers = try await api.myChannelMembers(token: token, teamID: teamID)
        let channelID = try XCTUnwrap(channelMembers.first?.channelID)
        let viewed = try await api.viewChannel(token: token, channelID: channelID)
        XCTAssertEqual(viewed.lastViewedAtTimes[channelID], server.clock.nowMillis)
    }

    func testRevokedSessionIsUnauthorizedButConfigStillAnswers() async throws {
        let server = try self.server
        let api = api(server)
        let token = try await api.login(loginID: "user-1", password: "SampleUser@1", deviceID: nil).token
        let admin = try await api.login(loginID: "sysadmin", password: "Sys@dmin-sample1", deviceID: nil).token
        try await api.revokeAllSessionsInSystem(token: admin)
        do {
            _ = try await api.mySessions(token: token)
            XCTFail("expected a 401")
        } catch {
            XCTAssertEqual(error.appError?.id, ErrorID.sessionExpired)
            guard case .unauthorized = error else { return XCTFail("\(error)") }
        }
        let config = try await api.clientConfig(token: token)
        XCTAssertEqual(config.version, ServerVersion.version)
    }

    /// A reliable reconnect: same connection id, the missed event replayed, no hello.
    func testWebSocketResumeReplaysWhatWasMissed() async throws {
        let server = try self.server
        let api = api(server)
        let reader = try await api.login(loginID: "user-2", password: "SampleUser@1", deviceID: nil).token
        let writer = try await api.login(loginID: "user-1", password: "SampleUser@1", deviceID: nil).token
        let teams = try await api.myTeams(token: writer)
        let teamID = try XCTUnwrap(teams.first?.id)
        let channels = try await api.myChannels(token: writer, teamID: teamID)
        let channel = try XCTUnwrap(channels.first)

        let first = Frames()
        let socket = WebSocketConnection(baseURL: server.base)
        socket.start(token: reader, tokenOnUpgrade: true) { first.add($0) }
        let hello = try await first.event(WebSocketEvent.hello)
        let connectionID = try XCTUnwrap(hello.data["connection_id"]?.stringValue)
        socket.close()
        try await first.waitClosed()
        let embedded = server.server
        let released = await happens(within: 5) { await embedded.waitUntilNoActiveWebSockets() }
        XCTAssertTrue(released, "the server let go of the first socket")

        _ = try await api.createPost(token: writer, CreatePostRequest(channelID: channel.id, message: "while away"))
        let second = Frames()
        let resumed = WebSocketConnection(baseURL: server.base)
        resumed.start(token: reader, resume: (connectionID: connectionID, sequenceNumber: hello.seq + 1),
                      tokenOnUpgrade: true) { second.add($0) }
        let missed = try await second.event(WebSocketEvent.posted)
        XCTAssertEqual(missed.seq, 1)
        XCTAssertFalse(second.events.contains { $0.event == WebSocketEvent.hello }, "no hello on a resume")
        resumed.close()
        try await second.waitClosed()
    }

    func testWebSocketURLCarriesTheResume() {
        let url = WebSocketConnection.url("ws://h/api/v4/websocket", resume: (connectionID: "abc", sequenceNumber: 7))
        XCTAssertEqual(url, "ws://h/api/v4/websocket?connection_id=abc&sequence_number=7")
        XCTAssertEqual(WebSocketConnection.url("ws://h/x", resume: nil), "ws://h/x")
    }
}

/// A captive portal: every API path redirects to a login page that answers 401 with HTML; `/plain401` answers
/// 401 itself, without Mattermost's AppError.
final class CaptivePortalTests: XCTestCase {
    func testRedirectsAndForeign401sAreNotRevocations() async throws {
        let router = Router()
        router.get("/portal") { _, _ in
            Response(status: .unauthorized, headers: [.contentType: "text/html"],
                     body: .init(byteBuffer: ByteBuffer(string: "<html>Sign in to the Wi-Fi</html>")))
        }
        router.get("/api/v4/users/me") { _, _ in
            Response(status: .found, headers: [.location: "/portal"])
        }
        router.get("/plain401/api/v4/users/me") { _, _ in
            Response(status: .unauthorized, headers: [.contentType: "text/html"],
                     body: .init(byteBuffer: ByteBuffer(string: "<html>Sign in</html>")))
        }
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        // Stopped by cancellation, which Hummingbird reports at error level: not worth a line in a green run.
        var quiet = Logger(label: "test.captive-portal")
        quiet.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in listening.yield(channel.localAddress?.port ?? 0) },
                              logger: quiet)
        let running = Task { try await app.runService() }
        defer { running.cancel() }
        var port = 0
        for await value in ports { port = value; break }
        let base = "http://127.0.0.1:\(port)"

        for (url, expected) in [(base, "redirected"), (base + "/plain401", "without Mattermost's error body")] {
            do {
                _ = try await MattermostAPI(baseURL: url).me(token: "some-token")
                XCTFail("expected a failure from \(url)")
            } catch {
                guard case .network(let reason) = error else { return XCTFail("\(url): \(error) counts as a revocation") }
                XCTAssertTrue(reason.contains(expected), reason)
                XCTAssertTrue(reason.hasPrefix("not reachable"), reason)
            }
        }
    }
}

/// Collects a client socket's events for a test; a test waits on the event (or the close) itself.
private final class Frames: Sendable {
    private struct State {
        var events: [WebSocketEvent] = []
        var closed = false
        var waiters: [(ready: @Sendable (State) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    }
    private let state = Mutex(State())

    func add(_ event: WebSocketConnection.Event) {
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
            switch event {
            case .frame(.event(let event)): state.events.append(event)
            case .frame(.reply), .opened: break
            case .closed: state.closed = true
            }
            let snapshot = state
            let (due, waiting) = (state.waiters.filter { $0.ready(snapshot) }, state.waiters.filter { !$0.ready(snapshot) })
            state.waiters = waiting
            return due.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    var events: [WebSocketEvent] { state.withLock { $0.events } }

    /// Returns once `ready` holds; the socket's own 10 s connect timeout and the server's close bound the wait.
    private func wait(until ready: @escaping @Sendable (State) -> Bool) async {
        await withCheckedContinuation { continuation in
            let now: Bool = state.withLock { state in
                if ready(state) || state.closed { return true }
                state.waiters.append((ready, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    func event(_ name: String) async throws -> WebSocketEvent {
        await wait { state in state.events.contains { $0.event == name } || state.closed }
        guard let found = state.withLock({ $0.events.first { $0.event == name } }) else {
            XCTFail("no \(name) event before the socket closed")
            throw CancellationError()
        }
        return found
    }

    func waitClosed() async throws {
        await wait { $0.closed }
    }
}
