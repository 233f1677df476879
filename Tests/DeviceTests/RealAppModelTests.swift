import Foundation
import EmbeddedServer
import MattermostModel
import XCTest
@testable import Device

/// The real app's rules against the embedded server over loopback (real HTTP, real WebSocket).
final class RealAppModelTests: XCTestCase {
    /// user-1 logged in on a phone running the real app's model, outside the simulation.
    func loggedInRealAppPhone() async throws -> (Harness, Phone) {
        let harness = try await Harness.start()
        var configuration = harness.diskConfiguration()
        configuration.app = .mattermostMobile
        let phone = Phone(configuration, clock: harness.clock)
        await phone.powerOn()
        await harness.loginAlone(phone)
        return (harness, phone)
    }

    func advance(_ harness: Harness, _ phone: Phone, by millis: Int64) async {
        let target = harness.clock.nowMillis + millis
        while let next = await phone.nextDeadline, next <= target {
            harness.clock.advance(toMillis: next)
            await phone.fireDueTimers()
            await phone.waitUntilIdle()
        }
        harness.clock.advance(toMillis: target)
        await phone.waitUntilIdle()
    }

    func testAShortDropResumesTheSameConnectionWithoutARestCall() async throws {
        let (harness, phone) = try await loggedInRealAppPhone()
        defer { Task { await phone.shutdown(); await harness.stop() } }
        var state = await phone.state
        XCTAssertEqual(state.screen, .channels)
        let connectionID = try XCTUnwrap(state.webSocket.connectionID, "hello named the connection")
        await phone.send(.setAirplane(true))
        await advance(harness, phone, by: 10_000)
        let requestsBefore = await phone.state.timeline.requestCount
        await phone.send(.setAirplane(false))
        await phone.waitUntilIdle()
        await advance(harness, phone, by: 1_000)
        state = await phone.state
        XCTAssertEqual(state.timeline.requestCount, requestsBefore, "a resume makes no REST call")
        XCTAssertEqual(state.webSocket.connectionID, connectionID)
        XCTAssertTrue(state.timeline.entries.contains { $0.text.contains("the server resumed the connection") },
                      state.timeline.entries.suffix(8).map(\.text).joined(separator: "\n"))
        XCTAssertEqual(state.connection, .live)
    }

    func testAfterRevokeAllTheSocketIsClosedAtTheChallengeAndOnlyARestCallLogsOut() async throws {
        let (harness, phone) = try await loggedInRealAppPhone()
        defer { Task { await phone.shutdown(); await harness.stop() } }
        await phone.send(.setAirplane(true))
        let admin = try await harness.api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil)
        try await harness.api.revokeAllSessionsInSystem(token: admin.token)
        await advance(harness, phone, by: 180_000)
        let requestsBefore = await phone.state.timeline.requestCount
        await phone.send(.setAirplane(false))
        await phone.waitUntilIdle()
        await advance(harness, phone, by: 30_000)
        var state = await phone.state
        XCTAssertEqual(state.screen, .channels, "no REST call, so no 401")
        XCTAssertEqual(state.timeline.requestCount, requestsBefore)
        let refusals = state.timeline.entries.filter { $0.text.hasPrefix("socket closed at authentication (server sends no reply) → retry in 3 s") }
        XCTAssertGreaterThanOrEqual(refusals.count, 8, "it retries every 3 s and never backs off")
        let channel = try XCTUnwrap(state.channels.first)
        await phone.send(.openChannel(channel.id))
        await phone.waitUntilIdle()
        state = await phone.state
        XCTAssertEqual(state.screen, .server)
        let emptied = await phone.tokenCacheIsEmpty()
        XCTAssertTrue(emptied)
    }
}

final class PhoneShutdownTests: XCTestCase {
    /// An answer that arrives after shutdown (a step abandoned by its timeout) must not open a socket or arm a
    /// timer that a stopping server would wait on: after shutdown, events are dropped.
    func testEventsAfterShutdownAreDropped() async throws {
        let harness = try await Harness.start()
        defer { Task { await harness.stop() } }
        let phone = Phone(harness.diskConfiguration(), clock: harness.clock)
        await phone.powerOn()
        await phone.shutdown()
        await phone.send(.typeUsername("user-1"))
        await phone.send(.setAirplane(true))
        let state = await phone.state
        XCTAssertEqual(state.loginForm.username, "")
        XCTAssertFalse(state.airplane)
    }
}
