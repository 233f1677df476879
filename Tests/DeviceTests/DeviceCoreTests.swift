import MattermostClient
import MattermostModel
import XCTest
@testable import Device

/// The pure core, event by event: no server, no clock, no disk.
final class DeviceCoreTests: XCTestCase {
    let user = User(id: MattermostID.new(), createAt: 0, username: "user-1", email: "user-1@sample.mattermost.com", roles: "system_user")
    let team = Team(id: MattermostID.new(), createAt: 0, displayName: "QA", name: "qa")

    func loggedInBoot(airplane: Bool) -> (DeviceState, [DeviceEffect]) {
        var state = DeviceState(name: "phone", deviceID: "d1", serverURL: "http://s")
        state.airplane = airplane
        let channel = Channel(id: MattermostID.new(), createAt: 0, teamID: team.id, displayName: "Town Square", name: "town-square")
        let snapshot = BootSnapshot(hasToken: true, account: user, team: team, channels: [channel], lastUsername: "user-1")
        let effects = DeviceCore.reduce(&state, .booted(snapshot), now: 1_000)
        return (state, effects)
    }

    func testColdStartOfflineShowsCachedChannelsWithoutAnyRequest() {
        let (state, effects) = loggedInBoot(airplane: true)
        XCTAssertEqual(state.screen, .channels)
        XCTAssertEqual(state.banner, .noNetwork)
        XCTAssertTrue(effects.isEmpty, "no request while in airplane mode: \(effects)")
        XCTAssertEqual(state.channels.first?.displayName, "Town Square")
    }

    func testReconnectRevalidatesFirstWithUsersMe() {
        var (state, _) = loggedInBoot(airplane: true)
        let effects = DeviceCore.reduce(&state, .setAirplane(false), now: 2_000)
        guard case .request(let request, let password)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(request.call, .me)
        XCTAssertNil(password)
        XCTAssertEqual(state.banner, .connecting)
    }

    func testUnauthorizedOnRevalidationEndsTheSessionAndKeepsTheUsername() {
        var (state, _) = loggedInBoot(airplane: true)
        _ = DeviceCore.reduce(&state, .compose(channelID: state.channels[0].id, text: "hi", pendingPostID: "p1"), now: 1_500)
        _ = DeviceCore.reduce(&state, .setAirplane(false), now: 2_000)
        let id = state.inFlight?.id ?? -1
        let effects = DeviceCore.reduce(&state, .response(requestID: id, .failure(.unauthorized(nil))), now: 2_100)
        XCTAssertEqual(state.screen, .login)
        XCTAssertEqual(state.banner?.text, "Your session has expired or was revoked. Please log in again.")
        XCTAssertEqual(state.loginForm.username, "user-1")
        XCTAssertEqual(state.loginForm.focus, .password)
        XCTAssertTrue(effects.contains(.wipeToken))
        XCTAssertTrue(effects.contains(.save(.wipeServer(keepOutbox: true))))
        XCTAssertEqual(state.outbox.count, 1, "the sealed outbox survives with the default policy")
        XCTAssertFalse(state.isLoggedIn)
        XCTAssertTrue(state.timers.isEmpty)
    }

    func testWipePolicyDropsTheOutbox() {
        var (state, _) = loggedInBoot(airplane: true)
        state.revokePolicy = .wipe
        _ = DeviceCore.reduce(&state, .compose(channelID: state.channels[0].id, text: "hi", pendingPostID: "p1"), now: 1_500)
        _ = DeviceCore.reduce(&state, .setAirplane(false), now: 2_000)
        let effects = DeviceCore.reduce(&state, .response(requestID: state.inFlight?.id ?? -1, .failure(.unauthorized(nil))), now: 2_100)
        XCTAssertTrue(effects.contains(.save(.wipeServer(keepOutbox: false))))
        XCTAssertTrue(state.outbox.isEmpty)
    }

    func testNetworkFailuresNeverLogOutAndBackOffLikeTheRealApp() {
        var (state, _) = loggedInBoot(airplane: true)
        var now: Int64 = 2_000
        _ = DeviceCore.reduce(&state, .setAirplane(false), now: now)
        var delays: [Int64] = []
        for failure in [ClientError.network("connection refused"), .server(status: 502), .malformed("html"), .network("timeout"),
                        .server(status: 500), .network("reset"), .network("x"), .network("x"), .network("x")] {
            let id = state.inFlight?.id ?? -1
            _ = DeviceCore.reduce(&state, .response(requestID: id, .failure(failure)), now: now)
            XCTAssertTrue(state.isLoggedIn)
            XCTAssertEqual(state.banner, .unreachable)
            XCTAssertEqual(state.screen, .channels)
            let deadline = state.timers[.retry] ?? 0
            delays.append(deadline - now)
            now = deadline
            _ = DeviceCore.reduce(&state, .timerFired(.retry), now: now)
            XCTAssertEqual(state.inFlight?.call, .me)
        }
        XCTAssertEqual(delays, [3_000, 3_000, 3_000, 3_000, 3_000, 3_000, 3_000, 24_000, 27_000])
    }

    func testBackoffCapsAtFiveMinutes() {
        XCTAssertEqual(Backoff.delayMillis(afterFailures: 1), 3_000)
        XCTAssertEqual(Backoff.delayMillis(afterFailures: 7), 3_000)
        XCTAssertEqual(Backoff.delayMillis(afterFailures: 8), 24_000)
        XCTAssertEqual(Backoff.delayMillis(afterFailures: 1_000), 300_000)
    }

    func testRequestTimeoutIsATimerOnTheClock() {
        var (state, _) = loggedInBoot(airplane: true)
        _ = DeviceCore.reduce(&state, .setAirplane(false), now: 2_000)
        XCTAssertEqual(state.timers[.requestTimeout], 2_000 + Intervals.requestTimeoutMillis)
        let effects = DeviceCore.reduce(&state, .timerFired(.requestTimeout), now: 32_000)
        XCTAssertTrue(effects.contains(.cancelRequest))
        XCTAssertEqual(state.banner, .unreachable)
        XCTAssertTrue(state.isLoggedIn)
    }

    func testLoginInAirplaneModeSendsNothing() {
        var state = DeviceState(name: "phone", deviceID: "d1", serverURL: "http://s")
        state.airplane = true
        _ = DeviceCore.reduce(&state, .booted(BootSnapshot()), now: 0)
        _ = DeviceCore.reduce(&state, .typeUsername("user-1"), now: 0)
        _ = DeviceCore.reduce(&state, .typePassword("secret"), now: 0)
        let effects = DeviceCore.reduce(&state, .submitLogin, now: 0)
        XCTAssertTrue(effects.isEmpty)
        XCTAssertEqual(state.banner, .noNetwork)
    }

    func testPasswordNeverStaysInState() {
        var state = DeviceState(name: "phone", deviceID: "d1", serverURL: "http://s")
        _ = DeviceCore.reduce(&state, .booted(BootSnapshot()), now: 0)
        _ = DeviceCore.reduce(&state, .typeUsername("user-1"), now: 0)
        _ = DeviceCore.reduce(&state, .typePassword("s3cret-pw"), now: 0)
        let effects = DeviceCore.reduce(&state, .submitLogin, now: 0)
        XCTAssertEqual(effects, [.request(InFlightRequest(id: 1, call: .login(username: "user-1"), startedAt: 0), password: "s3cret-pw")])
        XCTAssertFalse(String(describing: state).contains("s3cret-pw"))
    }

    /// Logging in, the app has put its keyboard away: typing reaches neither field until the answer comes.
    func testTypingWhileLoggingInChangesNoField() {
        var state = DeviceState(name: "phone", deviceID: "d1", serverURL: "http://s")
        _ = DeviceCore.reduce(&state, .booted(BootSnapshot()), now: 0)
        _ = DeviceCore.reduce(&state, .typeUsername("user-1"), now: 0)
        _ = DeviceCore.reduce(&state, .typePassword("wrong"), now: 0)
        _ = DeviceCore.reduce(&state, .submitLogin, now: 0)
        _ = DeviceCore.reduce(&state, .typePassword("wrongSampleUser@1"), now: 0)
        _ = DeviceCore.reduce(&state, .typeUsername("user-2"), now: 0)
        XCTAssertEqual(state.loginForm.password, "")
        XCTAssertEqual(state.loginForm.username, "user-1")
    }

    func testOutboxIsSealedToItsAuthor() {
        var (state, _) = loggedInBoot(airplane: true)
        _ = DeviceCore.reduce(&state, .compose(channelID: state.channels[0].id, text: "hi", pendingPostID: "p1"), now: 1_500)
        XCTAssertEqual(state.sendableOutbox.count, 1)
        state.phase = .session(User(id: MattermostID.new(), createAt: 0, username: "user-2", email: "", roles: "system_user"))
        XCTAssertEqual(state.sendableOutbox.count, 0)
    }

    func testAFetchedPostWithTheSamePendingIDIsDeliveredNotResent() {
        var (state, _) = loggedInBoot(airplane: true)
        let channelID = state.channels[0].id
        _ = DeviceCore.reduce(&state, .compose(channelID: channelID, text: "hi", pendingPostID: "p1"), now: 1_500)
        let post = Post(id: MattermostID.new(), createAt: 1_600, userID: user.id, channelID: channelID, message: "hi", pendingPostID: "p1")
        _ = DeviceCore.reduce(&state, .socketPosted(post), now: 1_700)
        XCTAssertTrue(state.outbox.isEmpty)
        XCTAssertEqual(state.posts[channelID]?.count, 1)
    }

    func testPingAnsweredNotAuthenticatedRevalidates() {
        var (state, _) = loggedInBoot(airplane: true)
        _ = DeviceCore.reduce(&state, .setAirplane(false), now: 2_000)
        state.inFlight = nil
        state.syncQueue = []
        state.socket = .open(id: 1)
        state.timers = [.ping: 32_000]
        let effects = DeviceCore.reduce(&state, .timerFired(.ping), now: 32_000)
        XCTAssertTrue(effects.contains(.sendPing(seq: 2)))
        let next = DeviceCore.reduce(&state, .pingReply(id: 1, seq: 2, authenticated: false), now: 32_010)
        XCTAssertTrue(next.contains(.closeSocket))
        XCTAssertEqual(state.inFlight?.call, .me)
    }

    func testPowerOffForgetsEverythingButTheTimeline() {
        var (state, _) = loggedInBoot(airplane: false)
        _ = DeviceCore.reduce(&state, .powerOff, now: 5_000)
        XCTAssertEqual(state.screen, .off)
        XCTAssertNil(state.account)
        XCTAssertTrue(state.channels.isEmpty)
        XCTAssertNil(state.inFlight)
        XCTAssertTrue(state.timeline.entries.contains { $0.text.contains("power off") })
    }
}
