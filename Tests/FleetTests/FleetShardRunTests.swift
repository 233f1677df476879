import EmbeddedServer
import Foundation
import Logging
import MattermostClient
import MattermostModel
import XCTest
@testable import Fleet

/// Shards in this process against the real embedded server: each revokes without talking to the others.
final class FleetShardRunTests: XCTestCase {
    func sharedServer(users: Int) async throws -> EmbeddedServer { try await startSharedServer(users: users, for: self) }

    func shardOptions(_ label: String, devices: Int, server: EmbeddedServer, revoke: FleetRevoke) throws -> FleetOptions {
        var options = FleetOptions(devices: devices, serverURL: server.baseURL,
                                   admin: FleetCredential(username: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword),
                                   concurrency: 4, seed: 5, phaseTimeoutSeconds: 60)
        options.shard = try FleetShard.parse(label, totalDevices: devices)
        options.revoke = revoke
        return options
    }

    func testAShardRevokesItsOwnUsersAndLeavesTheOthers() async throws {
        let server = try await sharedServer(users: 12)
        // Someone outside the shard, logged in throughout: revoking by user must not reach them.
        let bystander = try await MattermostAPIProbe.login(server.baseURL, username: "user-1")
        let report = try await FleetRunner.run(try shardOptions("2/3", devices: 12, server: server, revoke: .users))
        XCTAssertTrue(report.passed, report.text())
        XCTAssertEqual(report.devices, 4)
        XCTAssertEqual(report.shard?.firstPhone, 5)
        XCTAssertEqual(report.shard?.lastPhone, 8)
        XCTAssertEqual(report.revoke, "users")
        let revoke = try XCTUnwrap(report.phases.first { $0.name == "revoke" })
        XCTAssertEqual(revoke.requests, 1 + 2 * 4, "the admin's login, then a lookup and a revoke per user")
        XCTAssertTrue(report.text().contains("shard 2/3 (phones 5–8 of 12): 4 phones"), report.text())
        let stillIn = try await MattermostAPIProbe.isLoggedIn(server.baseURL, token: bystander)
        XCTAssertTrue(stillIn, "user-1 belongs to shard 1/3")
    }

    func testShardsRevokingAllAtOneInstantNeedNoChannel() async throws {
        let server = try await sharedServer(users: 8)
        let at = FleetRevoke.at(Date().addingTimeInterval(6))
        let one = try shardOptions("1/2", devices: 8, server: server, revoke: at)
        let two = try shardOptions("2/2", devices: 8, server: server, revoke: at)
        async let first = FleetRunner.run(one)
        async let second = FleetRunner.run(two)
        let reports = try await [first, second]
        for report in reports {
            XCTAssertTrue(report.passed, report.text())
            XCTAssertEqual(report.devices, 4)
        }
        let merged = try FleetMerge.merge([("1", reports[0]), ("2", reports[1])])
        XCTAssertTrue(merged.passed, merged.text())
        XCTAssertEqual(merged.revocationsDetected, 8)
    }

    func testARevokeTimeThatPassedBeforeThePhonesWereOfflineFailsTheRun() async throws {
        let server = try await sharedServer(users: 3)
        let report = try await FleetRunner.run(try shardOptions("1/1", devices: 3, server: server,
                                                                revoke: .at(Date().addingTimeInterval(0.001))))
        XCTAssertFalse(report.passed, report.text())
        XCTAssertTrue(report.problems.contains { $0.contains("passed") && $0.contains("give a later --revoke at=TIME") },
                      report.text())
    }
}

/// An embedded server as shards share one: in this process, wall clock, user-1…user-N; stopped after the test.
func startSharedServer(users: Int, for test: XCTestCase) async throws -> EmbeddedServer {
    var quiet = Logger(label: "test.fleet.server")
    quiet.logLevel = .warning
    let server = try await EmbeddedServer.start(ServerConfiguration(port: 0, dataDirectory: nil, bcryptCost: 4,
                                                                    clock: SimClock(mode: .wall)),
                                                runUsers: users, logger: quiet)
    test.addTeardownBlock { await server.stop() }
    return server
}

/// A user outside the fleet, through the same client the phones use.
enum MattermostAPIProbe {
    static func login(_ base: String, username: String) async throws -> String {
        try await MattermostAPI(baseURL: base).login(loginID: username, password: SeedAccounts.userPassword, deviceID: nil).token
    }

    static func isLoggedIn(_ base: String, token: String) async throws -> Bool {
        do {
            _ = try await MattermostAPI(baseURL: base).me(token: token)
            return true
        } catch .unauthorized {
            return false
        }
    }
}

/// The admin's calls alone, against the embedded server.
final class FleetRevocationTests: XCTestCase {
    func testAt401BecauseAnotherShardRevokedFirstCountsAsRevoked() async throws {
        let server = try await startSharedServer(users: 1, for: self)
        let api = MattermostAPI(baseURL: server.baseURL)
        let admin = FleetCredential(username: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword)
        // This shard's admin session, ended by "another shard's" revoke-all before this shard's instant comes.
        let token = try await api.login(loginID: admin.username, password: admin.password, deviceID: nil).token
        let other = try await api.login(loginID: admin.username, password: admin.password, deviceID: nil).token
        try await api.revokeAllSessionsInSystem(token: other)

        let at = FleetRevocation(api: api, admin: admin, mode: .at(Date().addingTimeInterval(0.05)), usernames: [], concurrency: 1)
        let outcome = await at.revoke(token: token)
        XCTAssertEqual(outcome.problems, [], "revoked already: what the call was for has happened")
        XCTAssertEqual(outcome.requests, 1)

        let all = FleetRevocation(api: api, admin: admin, mode: .all, usernames: [], concurrency: 1)
        let failed = await all.revoke(token: token)
        XCTAssertEqual(failed.problems, ["admin sysadmin: Revoke All Sessions failed: 401 api.context.session_expired.app_error"],
                       "without an agreed instant a 401 is a failure")
    }

    func testUsersModeNamesTheUsersItCouldNotRevoke() async throws {
        let server = try await startSharedServer(users: 2, for: self)
        let api = MattermostAPI(baseURL: server.baseURL)
        let admin = FleetCredential(username: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword)
        let revocation = FleetRevocation(api: api, admin: admin, mode: .users, usernames: ["user-1", "nobody-here", "user-2"],
                                         concurrency: 2)
        let outcome = await revocation.run()
        XCTAssertEqual(outcome.problems, ["admin sysadmin: looking up user nobody-here failed: 404 app.user.get_by_username.app_error"])
        XCTAssertEqual(outcome.requests, 1 + 2 + 1 + 2)
    }
}
