import Device
import EmbeddedServer
import FaultProxy
import MattermostClient
import XCTest

/// Each profile does to one request what it says, seen from a logged-in phone.
final class ProxySmokeTests: XCTestCase {
    func testSlow3GDelaysOnTheClockAndStillWorks() async throws {
        let w = try await World.start()
        await w.launchAndLogin(w.phone)
        await w.phone.setNetwork(.slow3g)
        let started = w.clock.nowMillis
        await w.simulation.advance(byMillis: 60_000)
        let state = await w.phone.state
        XCTAssertEqual(state.connection, .live, "\(state.timeline.last(12).map(\.text))")
        XCTAssertTrue(state.timeline.entries.contains { $0.text == "network: slow-3g" })
        XCTAssertGreaterThanOrEqual(w.clock.nowMillis - started, 60_000)
        await w.stop()
    }

    func testBlackholeTimesOutOnTheClockWithoutHangingSettle() async throws {
        let w = try await World.start()
        await w.launchAndLogin(w.phone)
        await w.phone.setNetwork(.blackhole)
        await w.simulation.settle()
        var state = await w.phone.state
        XCTAssertNotNil(state.inFlight, "GET /users/me is held by the blackhole")
        await w.simulation.advance(byMillis: 31_000)
        state = await w.phone.state
        XCTAssertTrue(state.isLoggedIn)
        XCTAssertEqual(state.banner, .unreachable, "\(state.timeline.last(8).map(\.text))")
        await w.phone.setNetwork(.online)
        await w.simulation.advance(byMillis: 10_000)
        state = await w.phone.state
        XCTAssertEqual(state.connection, .live)
        await w.stop()
    }
}
