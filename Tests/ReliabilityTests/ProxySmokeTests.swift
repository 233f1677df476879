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
        await w.simulation.advance(byMillis: 60_000)
        let state = await w.phone.state
        XCTAssertEqual(state.connection, .live, "\(state.timeline.last(12).map(\.text))")
        // The path change makes the phone revalidate over the slow link: its answer comes at least one 2 s
        // latency of simulated time after the switch.
        let switched = try XCTUnwrap(state.timeline.entries.last { $0.text == "network: slow-3g" })
        let answered = try XCTUnwrap(state.timeline.entries.first {
            $0.at >= switched.at && $0.kind == .request && $0.text.hasPrefix("GET /api/v4/users/me → 200")
        }, "\(state.timeline.last(12).map(\.text))")
        XCTAssertGreaterThanOrEqual(answered.at - switched.at, 2_000, "slow-3g delayed the request on the clock")
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
