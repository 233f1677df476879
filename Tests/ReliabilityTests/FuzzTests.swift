import AsyncHTTPClient
import EmbeddedServer
import Foundation
import MattermostClient
import NIOCore
import NIOHTTP1
import XCTest

/// ≥ 10,000 malformed requests over real HTTP: random methods, paths, headers and bodies, some with valid tokens
/// so that they get past authentication. The server never answers 5xx, every error is a 4xx AppError, and it
/// still answers a ping at the end. Prints its figures; the seed is printed so that a failure replays.
final class FuzzTests: XCTestCase {
    static let total = 10_000
    static let concurrency = 8

    func testTenThousandMalformedRequests() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["MMSIM_FUZZ_SEED"] ?? "") ?? 20_260_101
        let server = try await EmbeddedServer.start(ServerConfiguration(port: 0, bcryptCost: 4))
        let api = MattermostAPI(baseURL: server.baseURL)
        let started = ContinuousClock.now
        var tally = Tally()
        var random = SeededRandom(seed: seed)
        var sent = 0
        while sent < Self.total {
            // Fresh tokens each batch: the fuzz may revoke them, log out, or lock the accounts.
            _ = try await server.unlock(username: "user-1")
            _ = try await server.unlock(username: SeedAccounts.adminUsername)
            let userToken = try? await api.login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil).token
            let adminToken = try? await api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil).token
            let batch = (0..<500).map { _ in FuzzRequest.random(&random, base: server.baseURL, tokens: [userToken, adminToken].compactMap { $0 }) }
            sent += batch.count
            tally.merge(await Self.send(batch))
        }
        let alive: Bool
        do { try await api.ping(); alive = true } catch { alive = false }
        let seconds = Double((ContinuousClock.now - started).components.seconds)
        print("fuzz: \(sent) requests (seed \(seed)), \(tally.serverErrors) 5xx, \(tally.notAppError) 4xx without an AppError, "
              + "\(tally.transport) transport errors, statuses \(tally.statuses.sorted { $0.key < $1.key }), ~\(Int(seconds)) s")
        for example in tally.transportExamples { print("  transport: \(example)") }
        XCTAssertGreaterThanOrEqual(sent, Self.total)
        XCTAssertTrue(alive, "the server stopped answering")
        XCTAssertEqual(tally.serverErrors, 0, tally.examples.joined(separator: "\n"))
        XCTAssertEqual(tally.notAppError, 0, tally.examples.joined(separator: "\n"))
        await server.stop()
    }

    struct Tally: Sendable {
        var statuses: [Int: Int] = [:]
        var serverErrors = 0
        var notAppError = 0
        var transport = 0
        var examples: [String] = []
        var transportExamples: [String] = []

        mutating func merge(_ other: Tally) {
            statuses.merge(other.statuses, uniquingKeysWith: +)
            serverErrors += other.serverErrors
            notAppError += other.notAppError
            transport += other.transport
            examples += other.examples.prefix(max(0, 10 - examples.count))
            transportExamples += other.transportExamples.prefix(max(0, 5 - transportExamples.count))
        }
    }

    static func send(_ batch: [FuzzRequest]) async -> Tally {
        await withTaskGroup(of: Tally.self) { group in
            for lane in 0..<concurrency {
                group.addTask {
                    var tally = Tally()
                    for request in stride(from: lane, to: batch.count, by: concurrency).map({ batch[$0] }) {
                        await request.send(into: &tally)
                    }
                    return tally
                }
            }
            var total = Tally()
            for await part in group { total.merge(part) }
            return total
        }
    }
}

/// One malformed (or merely odd) request.
struct FuzzRequest: Sendable {
    var method: String
    var url: String
    var headers: [(String, String)]
    var body: [UInt8]?

    static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND"]
    static let paths = ["/api/v4/users/login", "/api/v4/users/logout", "/api/v4/users/me", "/api/v4/users",
                        "/api/v4/users/{id}", "/api/v4/users/{id}/sessions", "/api/v4/users/{id}/sessions/revoke",
                        "/api/v4/users/{id}/sessions/revoke/all", "/api/v4/users/{id}/active", "/api/v4/users/me/teams",
                        "/api/v4/users/me/teams/{id}/channels", "/api/v4/channels/{id}/posts", "/api/v4/posts",
                        "/api/v4/system/ping", "/api/v4/websocket", "/api/v4/", "/", "/api/v5/users", "/api/v4/users/{id}/{id}"]
    static let ids = ["me", "", "0", "abcdefghijklmnopqrstuvwxyz", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "..%2F..%2Fetc%2Fpasswd",
                      "%00", "%ZZ", "%E2%82%AC", "'%20OR%201=1--", String(repeating: "x", count: 3000), "-1", "null", "%20"]
    static let queries = ["", "?page=-1", "?per_page=abc", "?since=notanumber", "?since=-99999999999999999999",
                          "?page=999999999999&per_page=999999999", "?%zz=1", "?since=1e300", "?a=b&a=c"]
    static let bodies: [String] = ["{", "}", "[]", "null", "0", "\"x\"", "{\"login_id\": 5, \"password\": []}",
                                   "{\"login_id\": \"user-1\"}", "{\"login_id\": \"user-1\", \"password\": \"wrong\"}",
                                   "{\"channel_id\": \"\", \"message\": \"\"}", "{\"channel_id\": 7, \"message\": {}}",
                                   "{\"message\": \"" + String(repeating: "a", count: 20_000) + "\", \"channel_id\": \"abcdefghijklmnopqrstuvwxyz\"}",
                                   "{\"session_id\": \"../x\"}", "{\"active\": \"yes\"}", "{\"active\": false}",
                                   String(repeating: "[", count: 5_000), "{\"a\":" + String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 601),
                                   "\u{FEFF}{\"login_id\":\"x\",\"password\":\"y\"}", "{\"login_id\": \"\\ud800\", \"password\": \"x\"}"]

    static func random(_ r: inout SeededRandom, base: String, tokens: [String]) -> FuzzRequest {
        var path = paths[r.below(paths.count)]
        while let range = path.range(of: "{id}") { path.replaceSubrange(range, with: ids[r.below(ids.count)]) }
        if r.below(10) == 0 { path = "/" + (0..<r.below(40)).map { _ in String(UnicodeScalar(UInt8(33 + r.below(90)))) }.joined() }
        let query = queries[r.below(queries.count)]
        var headers: [(String, String)] = []
        switch r.below(6) {
        case 0: break
        case 1: headers.append(("Authorization", "Bearer " + (tokens.isEmpty ? "x" : tokens[r.below(tokens.count)])))
        case 2: headers.append(("Authorization", "Bearer " + (tokens.isEmpty ? "x" : tokens[r.below(tokens.count)])))
        case 3: headers.append(("Authorization", "Bearer garbage-\(r.below(1000))"))
        case 4: headers.append(("Authorization", ["Basic Zm9vOmJhcg==", "Bearer", "", "Bearer  ", "bearer x y z"][r.below(5)]))
        default: headers.append(("Cookie", "MMAUTHTOKEN=" + (tokens.isEmpty ? "x" : tokens[r.below(tokens.count)])))
        }
        headers.append(("Content-Type", ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "garbage/;;;"][r.below(5)]))
        if r.below(4) == 0 { headers.append(("X-Requested-With", "XMLHttpRequest")) }
        if r.below(8) == 0 { headers.append(("User-Agent", String(repeating: "Z", count: r.below(4000)))) }
        var body: [UInt8]?
        switch r.below(5) {
        case 0: body = nil
        case 1: body = (0..<r.below(2000)).map { _ in UInt8(r.below(256)) }
        case 2: body = Array((1 << 20) + 1 > 0 && r.below(20) == 0 ? [UInt8](repeating: 0x20, count: (1 << 20) + 16) : [])
        default: body = Array(bodies[r.below(bodies.count)].utf8)
        }
        let method = r.below(3) == 0 ? methods[r.below(methods.count)] : ["GET", "POST", "PUT"][r.below(3)]
        return FuzzRequest(method: method, url: base + path + query, headers: headers, body: body)
    }

    func send(into tally: inout FuzzTests.Tally) async {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body, !body.isEmpty, !["GET", "HEAD", "TRACE"].contains(method) { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await MattermostAPI.sharedHTTPClient.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 4 << 20)
            let status = Int(response.status.code)
            tally.statuses[status, default: 0] += 1
            if status >= 500 {
                tally.serverErrors += 1
                tally.examples.append("\(status) for \(method) \(url.prefix(120))")
            } else if status >= 400, method != "HEAD" {
                let error = try? JSONDecoder().decode(AppError.self, from: Data(bytes.readableBytesView))
                if error?.statusCode != status {
                    tally.notAppError += 1
                    tally.examples.append("\(status) without an AppError for \(method) \(url.prefix(120)): \(String(decoding: bytes.readableBytesView.prefix(80), as: UTF8.self))")
                }
            }
        } catch {
            // A request the server refused mid-upload (413 on a huge body) can surface as a closed connection.
            tally.transport += 1
            if tally.transportExamples.count < 5 { tally.transportExamples.append("\(method) \(url.prefix(80)) body \(body?.count ?? 0): \(error)") }
        }
    }
}

