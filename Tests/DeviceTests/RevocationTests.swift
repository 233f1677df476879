import Device
import EmbeddedServer
import MattermostModel
import XCTest

/// MM-T941 and its neighbours, end to end over real HTTP and WebSocket.
final class RevocationTests: XCTestCase {
    func testMMT941AirplaneMode() async throws {
        let h = try await Harness.start()
        let phone = h.phone
        await h.launchAndLogin(phone)
        var state = await phone.state
        XCTAssertEqual(state.screen, .channels)
        XCTAssertNotNil(state.channel(named: "Town Square"))
        let tokenFile = await phone.tokenCacheIsEmpty()
        XCTAssertFalse(tokenFile)

        await phone.send(.setAirplane(true))
        let revoked = await h.simulation.console.revokeAllSessions()
        XCTAssertTrue(revoked)
        await h.simulation.advance(byMillis: 3 * 60_000)
        state = await phone.state
        XCTAssertEqual(state.screen, .channels, "offline, the phone cannot know yet")
        XCTAssertEqual(state.banner, .noNetwork)

        let before = state.timeline.requestCount
        await phone.send(.setAirplane(false))
        await h.simulation.settle()
        state = await phone.state
        XCTAssertEqual(state.screen, .login)
        XCTAssertTrue(state.revokedBannerShown)
        XCTAssertEqual(state.loginForm.username, "user-1")
        let empty = await phone.tokenCacheIsEmpty()
        XCTAssertTrue(empty)
        XCTAssertEqual(state.timeline.requestCount - before, 1, "exactly one request: GET /users/me")
        XCTAssertTrue(state.timeline.entries.contains { $0.text.hasPrefix("GET /api/v4/users/me → 401") })
        await h.stop()
    }

    func testMMT941PowerOff() async throws {
        let h = try await Harness.start()
        let phone = h.phone
        await h.launchAndLogin(phone)
        await phone.powerOff()
        await h.simulation.console.revokeAllSessions()
        await h.simulation.advance(byMillis: 5 * 60_000)

        await phone.powerOn()
        var state = await phone.state
        // Offline first: the cold start shows cached channels before any answer.
        XCTAssertEqual(state.screen, .channels)
        let before = state.timeline.requestCount
        await h.simulation.settle()
        state = await phone.state
        XCTAssertEqual(state.screen, .login)
        XCTAssertTrue(state.revokedBannerShown)
        XCTAssertEqual(state.timeline.requestCount - before, 1)
        let empty = await phone.tokenCacheIsEmpty()
        XCTAssertTrue(empty)
        await h.stop()
    }

    func testRevokingAnotherUserLeavesThisPhoneLoggedIn() async throws {
        let h = try await Harness.start(phones: ["one", "two"])
        let (one, two) = (h.simulation.phones[0], h.simulation.phones[1])
        await h.launchAndLogin(one, user: "user-1")
        await h.launchAndLogin(two, user: "user-2")
        let user2 = try await h.userID("user-2")
        await h.simulation.console.refresh()
        await h.simulation.console.revokeSessions(ofUser: user2)
        await h.simulation.advance(byMillis: 60_000)
        let s1 = await one.state
        let s2 = await two.state
        XCTAssertEqual(s1.screen, .channels)
        XCTAssertTrue(s1.isLoggedIn)
        XCTAssertEqual(s2.screen, .login, "found by the WebSocket ping within one interval")
        await h.stop()
    }

    func testRevokingThisPhonesSessionWhileOnlineIsFoundWithinOnePing() async throws {
        let h = try await Harness.start()
        await h.launchAndLogin(h.phone)
        let userID = try await h.userID("user-1")
        await h.simulation.console.refresh()
        let ok = await h.simulation.console.revokeSession(ofUser: userID, deviceID: "device-phone")
        XCTAssertTrue(ok)
        await h.simulation.advance(byMillis: Intervals.pingMillis)
        let state = await h.phone.state
        XCTAssertEqual(state.screen, .login)
        XCTAssertTrue(state.timeline.entries.contains { $0.text.contains("not_authenticated") })
        await h.stop()
    }

    func testDeactivatingTheUserLogsThePhoneOut() async throws {
        let h = try await Harness.start()
        await h.launchAndLogin(h.phone)
        let userID = try await h.userID("user-1")
        await h.phone.send(.setAirplane(true))
        await h.simulation.console.setActive(userID: userID, active: false)
        await h.phone.send(.setAirplane(false))
        await h.simulation.settle()
        let state = await h.phone.state
        XCTAssertEqual(state.screen, .login)
        await h.stop()
    }

    func testSessionExpiryIsFoundAtTheNextRevalidation() async throws {
        let h = try await Harness.start()
        await h.launchAndLogin(h.phone)
        await h.phone.send(.setAirplane(true))
        await h.simulation.advance(byMillis: 721 * 3_600_000)
        await h.phone.send(.setAirplane(false))
        await h.simulation.settle()
        let state = await h.phone.state
        XCTAssertEqual(state.screen, .login)
        XCTAssertTrue(state.revokedBannerShown)
        await h.stop()
    }

    func testCorruptTokenCacheMeansLoginScreenNotACrash() async throws {
        let h = try await Harness.start()
        await h.launchAndLogin(h.phone)
        await h.phone.powerOff()
        let cacheFile = await h.phone.tokenCacheFile
        let file = try XCTUnwrap(cacheFile)
        try Data("garbage{".utf8).write(to: file)
        await h.phone.powerOn()
        await h.simulation.settle()
        let state = await h.phone.state
        XCTAssertEqual(state.screen, .login)
        XCTAssertTrue(state.timeline.entries.contains { $0.text.contains("corrupt") })
        await h.stop()
    }
}
