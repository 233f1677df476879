import AsyncHTTPClient
import EmbeddedServer
import Foundation
import MattermostModel
import NIOCore
import NIOHTTP1
import Synchronization
import XCTest

/// A started in-memory server with a virtual clock, plus a real HTTP client to talk to it.
struct TestServer: Sendable {
    let server: EmbeddedServer
    let clock: SimClock
    var base: String { server.baseURL }

    static func start(sessionLengthMobileHours: Int = 720,
                      configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let clock = SimClock(mode: .virtual, startMillis: 1_700_000_000_000)
        var config = ServerConfiguration(port: 0, dataDirectory: nil, sessionLengthMobileHours: sessionLengthMobileHours,
                                         bcryptCost: 4, clock: clock)
        configure(&config)
        return TestServer(server: try await EmbeddedServer.start(config), clock: clock)
    }

    func stop() async { await server.stop() }

    /// One HTTP exchange. `body` is sent as-is; use `json(_:)` to encode a value.
    func request(_ method: HTTPMethod, _ path: String, token: String? = nil, body: Data? = nil,
                 headers: [(String, String)] = []) async throws -> TestResponse {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }

    func get(_ path: String, token: String? = nil, headers: [(String, String)] = []) async throws -> TestResponse {
        try await request(.GET, path, token: token, headers: headers)
    }

    func post<T: Encodable>(_ path: String, _ value: T, token: String? = nil,
                            headers: [(String, String)] = []) async throws -> TestResponse {
        try await request(.POST, path, token: token, body: try JSONEncoder().encode(value), headers: headers)
    }

    func post(_ path: String, token: String? = nil, headers: [(String, String)] = []) async throws -> TestResponse {
        try await request(.POST, path, token: token, headers: headers)
    }

    /// Logs in and returns the session token and the user; fails the test on anything but 200.
    func login(_ username: String, password: String? = nil, deviceID: String? = nil,
               file: StaticString = #filePath, line: UInt = #line) async throws -> (token: String, user: User) {
        let secret = password ?? (username == "sysadmin" ? "Sys@dmin-sample1" : "SampleUser@1")
        let response = try await post(APIPath.login, LoginRequest(loginID: username, password: secret, deviceID: deviceID))
        XCTAssertEqual(response.status, 200, file: file, line: line)
        let token = try XCTUnwrap(response.headers.first(name: APIPath.tokenHeader), file: file, line: line)
        return (token, try response.decode(User.self))
    }

    func me(_ token: String) async throws -> TestResponse { try await get(APIPath.me, token: token) }

    func townSquare(_ token: String) async throws -> MattermostModel.Channel {
        let teams = try await get(APIPath.myTeams, token: token).decode([Team].self)
        let team = try XCTUnwrap(teams.first { $0.name == "qa" })
        let channels = try await get(APIPath.myChannels(team: team.id), token: token).decode([MattermostModel.Channel].self)
        return try XCTUnwrap(channels.first { $0.name == "town-square" })
    }
}

struct TestResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: Data

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: body) }

    /// The AppError body, checked to carry the same status and a 26-character request id.
    func appError(file: StaticString = #filePath, line: UInt = #line) throws -> AppError {
        let error = try decode(AppError.self)
        XCTAssertEqual(error.statusCode, status, "status_code matches the HTTP status", file: file, line: line)
        XCTAssertEqual(error.requestID.count, 26, "request_id is a Mattermost id", file: file, line: line)
        return error
    }
}

/// A test base that starts a fresh server per test and stops it afterwards.
class ServerTestCase: XCTestCase {
    private var started: TestServer?

    var server: TestServer {
        get throws { try XCTUnwrap(started) }
    }

    override func setUp() async throws {
        started = try await TestServer.start()
    }

    override func tearDown() async throws {
        await started?.stop()
        started = nil
    }
}

/// Awaits `event`, bounded: true when it happened, false when `seconds` passed first (the event's task is left to
/// finish on its own, so a hang fails the test instead of hanging it).
func happens(within seconds: Double, _ event: @escaping @Sendable () async -> Void) async -> Bool {
    let answer = FirstAnswer()
    return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
        answer.waiter.withLock { $0 = continuation }
        Task {
            await event()
            answer.give(true)
        }
        Task {
            try? await Task.sleep(for: .seconds(seconds))  // the deadline, not a wait for the event
            answer.give(false)
        }
    }
}

/// The first of two answers reaches the waiter; the other is dropped.
private final class FirstAnswer: Sendable {
    let waiter = Mutex<CheckedContinuation<Bool, Never>?>(nil)
    func give(_ value: Bool) { waiter.withLock { $0.take() }?.resume(returning: value) }
}
