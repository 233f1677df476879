import XCTest
@testable import Fleet

/// A small fleet over the real embedded server: every phone must find its revocation alone.
final class FleetRunTests: XCTestCase {
    func testTwentyPhonesDetectEveryRevocation() async throws {
        let report = try await FleetRunner.run(FleetOptions(devices: 20, concurrency: 8, seed: 7, phaseTimeoutSeconds: 60))
        XCTAssertTrue(report.passed, report.text())
        XCTAssertEqual(report.phases.map(\.name), ["login", "offline", "revoke", "reconnect"])
        let phase = Dictionary(uniqueKeysWithValues: report.phases.map { ($0.name, $0) })
        let login = try XCTUnwrap(phase["login"]), offline = try XCTUnwrap(phase["offline"])
        let revoke = try XCTUnwrap(phase["revoke"]), reconnect = try XCTUnwrap(phase["reconnect"])

        XCTAssertEqual(login.loggedIn, 20)
        XCTAssertEqual(login.latency?.count, 20)
        XCTAssertGreaterThanOrEqual(login.requests, 20 * 4, "login, teams, channels, posts per phone at least")
        XCTAssertEqual(offline.loggedIn, 0, "airplane mode: nobody is live")
        XCTAssertEqual(offline.requests, 0)
        XCTAssertEqual(revoke.requests, 2, "the admin's login and Revoke All Sessions")
        XCTAssertEqual(revoke.revocationsDetected, 0, "offline phones cannot know yet")
        XCTAssertEqual(reconnect.revocationsDetected, 20)
        XCTAssertEqual(reconnect.requests, 20, "exactly one request per phone: GET /users/me → 401")
        let latency = try XCTUnwrap(reconnect.latency)
        XCTAssertEqual(latency.count, 20)
        XCTAssertLessThanOrEqual(latency.p50, latency.p95)
        XCTAssertLessThanOrEqual(latency.p95, latency.p99)
        XCTAssertLessThanOrEqual(latency.p99, latency.max)
        XCTAssertGreaterThan(latency.p50, 0)

        XCTAssertEqual(report.revocationsDetected, 20)
        XCTAssertEqual(report.missed, 0)
        XCTAssertEqual(report.wrongLogouts, 0)
        XCTAssertGreaterThan(report.peakRSSBytes, 0)
        XCTAssertGreaterThanOrEqual(report.wallSeconds, report.phases.map(\.wallSeconds).reduce(0, +) * 0.99)
        let decoded = try JSONDecoder().decode(FleetReport.self, from: report.json())
        XCTAssertEqual(decoded, report)
    }
}
