import AsyncHTTPClient
import EmbeddedServer
import Foundation
import MattermostClient
import MattermostModel
import XCTest

/// Every route, with random `page`, `per_page` and `since` values (edges of Int64, overflowing digits, junk) and
/// random path ids (real ones, `me`, well-formed strangers, malformed): no 5xx, every error a 4xx AppError, and
/// the server still answers afterwards. Bounded (2,000 requests, seeded: MMSIM_FUZZ_SEED replays a failure).
final class QueryFuzzTests: XCTestCase {
    static let total = 2_000

    static let routes: [(method: String, path: String, body: String?)] = [
        ("GET", "/api/v4/system/ping", nil),
        ("GET", "/api/v4/users", nil),
        ("GET", "/api/v4/users/{user}", nil),
        ("GET", "/api/v4/users/username/{user}", nil),
        ("GET", "/api/v4/users/{user}/sessions", nil),
        ("GET", "/api/v4/users/{user}/teams", nil),
        ("GET", "/api/v4/users/{user}/teams/{team}/channels", nil),
        ("GET", "/api/v4/channels/{channel}/posts", nil),
        ("GET", "/api/v4/websocket", nil),
        // Without format=old Mattermost answers these 501 on purpose.
        ("GET", "/api/v4/config/client?format=old", nil),
        ("GET", "/api/v4/license/client?format=old", nil),
        ("GET", "/api/v4/users/{user}/preferences", nil),
        ("GET", "/api/v4/users/{user}/teams/members", nil),
        ("GET", "/api/v4/users/{user}/teams/{team}/channels/members", nil),
        ("POST", "/api/v4/channels/members/{user}/view", #"{"channel_id": "{channel}"}"#),
        ("GET", "/", nil),
        ("GET", "/admin_console", nil),
        ("GET", "/login", nil),
        ("GET", "/admin_console/user_management/users", nil),
        ("GET", "/static/mmsim-console.js", nil),
        ("GET", "/static/mmsim-console.css", nil),
        ("POST", "/api/v4/posts", #"{"channel_id": "{channel}", "message": "fuzz"}"#),
        ("PUT", "/api/v4/users/{user}/password", #"{"new_password": "Fuzz-Passw0rd"}"#),
        ("PUT", "/api/v4/users/{user}/active", #"{"active": true}"#),
        ("POST", "/api/v4/users/{user}/sessions/revoke", #"{"session_id": "{session}"}"#),
    ]

    /// Routes that end the fuzz's own sessions: one request in 25, so most requests get past authentication.
    static let revoking: [(method: String, path: String, body: String?)] = [
        ("POST", "/api/v4/users/{user}/sessions/revoke/all", nil),
        ("POST", "/api/v4/users/sessions/revoke/all", nil),
        ("POST", "/api/v4/users/logout", nil),
    ]

    static let numbers = ["0", "-1", "1", "59", "60", "61", "199", "200", "201", "\(Int64.max)", "\(Int64.min)",
                          "9223372036854775808", "-9223372036854775809", "153722867280912931", "1e300", "0x10", "+5",
                          "", "abc", "%00", "%FF", "%E2%82%AC", "1.5", "%201", "NaN", "--1", "99999999999999999999999999"]

    func testRandomQueryValuesOnEveryRoute() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["MMSIM_FUZZ_SEED"] ?? "") ?? 20_261_130
        let server = try await EmbeddedServer.start(ServerConfiguration(port: 0, bcryptCost: 4))
        let api = MattermostAPI(baseURL: server.baseURL)
        var random = SeededRandom(seed: seed)
        var tally = FuzzTests.Tally()
        var sent = 0
        while sent < Self.total {
            // Fresh sessions each batch: the fuzz revokes them and changes passwords.
            for name in ["user-1", SeedAccounts.adminUsername] { _ = try await server.unlock(username: name) }
            let admin = try await api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword,
                                            deviceID: nil)
            let user = try? await api.login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil)
            let teams = try await api.myTeams(token: admin.token)
            let channelIDs = try await teams.asyncFlatMap { try await api.myChannels(token: admin.token, teamID: $0.id).map(\.id) }
            let ids = IDs(users: [admin.user.id, user?.user.id, "me"].compactMap { $0 }, teams: teams.map(\.id),
                          channels: channelIDs, sessions: [])
            let tokens = [admin.token, user?.token].compactMap { $0 }
            let batch = (0..<100).map { _ in Self.request(&random, base: server.baseURL, ids: ids, tokens: tokens) }
            sent += batch.count
            tally.merge(await FuzzTests.send(batch))
        }
        let alive: Bool
        do { try await api.ping(); alive = true } catch { alive = false }
        print("query fuzz: \(sent) requests (seed \(seed)), statuses \(tally.statuses.sorted { $0.key < $1.key })")
        XCTAssertTrue(alive, "the server stopped answering")
        XCTAssertEqual(tally.serverErrors, 0, tally.examples.joined(separator: "\n"))
        XCTAssertEqual(tally.notAppError, 0, tally.examples.joined(separator: "\n"))
        XCTAssertEqual(tally.transport, 0, tally.transportExamples.joined(separator: "\n"))
        await server.stop()
    }

    struct IDs {
        var users: [String]
        var teams: [String]
        var channels: [String]
        var sessions: [String]
    }

    static func id(_ real: [String], _ r: inout SeededRandom) -> String {
        switch r.below(6) {
        case 0: return MattermostID.new()
        case 1: return ["x", "..", "%00", "%ZZ", String(repeating: "a", count: 27), "ME", "-1"][r.below(7)]
        default: return real.isEmpty ? MattermostID.new() : real[r.below(real.count)]
        }
    }

    static func request(_ r: inout SeededRandom, base: String, ids: IDs, tokens: [String]) -> FuzzRequest {
        let route = r.below(25) == 0 ? revoking[r.below(revoking.count)] : routes[r.below(routes.count)]
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{user}", with: id(ids.users, &r))
                .replacingOccurrences(of: "{team}", with: id(ids.teams, &r))
                .replacingOccurrences(of: "{channel}", with: id(ids.channels, &r))
                .replacingOccurrences(of: "{session}", with: id(ids.sessions, &r))
        }
        let path = fill(route.path)
        var query: [String] = []
        for name in ["page", "per_page", "since", "pageSize", "ids"] where r.below(2) == 0 {
            let value = r.below(4) == 0
                ? String((0..<(1 + r.below(30))).map { _ in Character(String(r.below(10))) })
                : numbers[r.below(numbers.count)]
            query.append("\(name)=\(value)")
        }
        let url = base + path + (query.isEmpty ? "" : (path.contains("?") ? "&" : "?") + query.joined(separator: "&"))
        var headers = [("Content-Type", "application/json")]
        if !tokens.isEmpty, r.below(8) != 0 { headers.append(("Authorization", "Bearer " + tokens[r.below(tokens.count)])) }
        return FuzzRequest(method: route.method, url: url, headers: headers, body: route.body.map { Array(fill($0).utf8) })
    }
}

private extension Array {
    func asyncFlatMap<T>(_ transform: (Element) async throws -> [T]) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result += try await transform(element) }
        return result
    }
}
