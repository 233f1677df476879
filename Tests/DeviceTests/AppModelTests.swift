import MattermostClient
import MattermostModel
import XCTest
@testable import Device

/// Each app model's rules, event by event through the pure core (no server, no clock, no disk).
final class AppModelTests: XCTestCase {
    let user = User(id: MattermostID.new(), createAt: 0, username: "user-1", email: "user-1@sample.mattermost.com", roles: "system_user")
    let team = Team(id: MattermostID.new(), createAt: 0, displayName: "QA", name: "qa")
    lazy var channel = Channel(id: MattermostID.new(), createAt: 0, teamID: team.id, displayName: "Town Square", name: "town-square")

    /// A logged-in phone of `app` in airplane mode after a cold start, as MM-T941 has it before the revoke.
    func offlinePhone(_ app: AppModel) -> DeviceState {
        var state = DeviceState(name: "phone", deviceID: "d1", serverURL: "http://s", app: app)
        state.airplane = true
        let snapshot = BootSnapshot(hasToken: true, account: user, team: team, channels: [channel], lastUsername: "user-1")
        _ = DeviceCore.reduce(&state, .booted(snapshot), now: 1_000)
        return state
    }

    func requests(_ effects: [DeviceEffect]) -> [APICall] {
        effects.compactMap { if case .request(let request, _) = $0 { return request.call } else { return nil } }
    }

    func socketID(_ effects: [DeviceEffect]) -> Int? {
        effects.lazy.compactMap { if case .openSocket(let id, _, _) = $0 { return id } else { return nil } }.first
    }

    /// Answers the request in flight.
    @discardableResult
    func answer(_ state: inout DeviceState, _ result: Result<APIResult, ClientError>, now: Int64) -> [DeviceEffect] {
        DeviceCore.reduce(&state, .response(requestID: state.inFlight?.id ?? -1, result), now: now)
    }

    func testRealAppReconnectsItsSocketOnlyAndKeepsRetryingEveryThreeSecondsWhenClosedAtTheChallenge() throws {
        var state = offlinePhone(.mattermostMobile)
        var effects = DeviceCore.reduce(&state, .setAirplane(false), now: 10_000)
        XCTAssertEqual(requests(effects), [], "network back: no REST call")
        var now: Int64 = 10_000
        for round in 1...12 {
            let id = try XCTUnwrap(socketID(effects), "round \(round): \(effects)")
            effects = DeviceCore.reduce(&state, .socketUpgraded(id: id), now: now)
            XCTAssertTrue(effects.contains { if case .sendPing = $0 { return true } else { return false } }, "ping at once")
            XCTAssertEqual(state.failures, 0, "an open resets the failure count")
            effects = DeviceCore.reduce(&state, .socketClosed(id: id, reason: "closed by the server"), now: now + 5)
            XCTAssertEqual(requests(effects), [])
            XCTAssertEqual(state.timers[.retry], now + 5 + 3_000, "round \(round): never backs off")
            XCTAssertEqual(state.screen, .channels)
            XCTAssertEqual(state.banner, .noNetwork)
            XCTAssertTrue(state.isLoggedIn)
            now += 3_005
            effects = DeviceCore.reduce(&state, .timerFired(.retry), now: now)
            XCTAssertEqual(requests(effects), [], "a retry makes no REST call")
        }
        XCTAssertTrue(state.timeline.entries.contains { $0.text.contains("socket closed at authentication (server sends no reply) → retry in 3 s") })
    }

    func testReferenceRevalidatesFirstAndBacksOffWhenTheSocketKeepsFailing() {
        var state = offlinePhone(.reference)
        let effects = DeviceCore.reduce(&state, .setAirplane(false), now: 10_000)
        XCTAssertEqual(requests(effects), [.me])
    }

    func testRealAppOpeningAChannelFindsThe401AndLandsOnTheServerScreenWithEverythingWiped() {
        var state = offlinePhone(.mattermostMobile)
        _ = DeviceCore.reduce(&state, .compose(channelID: channel.id, text: "offline words", pendingPostID: "p1"), now: 2_000)
        XCTAssertEqual(state.outbox.first?.state, .failed, "written offline: failed at once, no outbox")
        _ = DeviceCore.reduce(&state, .setAirplane(false), now: 10_000)
        let effects = DeviceCore.reduce(&state, .openChannel(channel.id), now: 11_000)
        XCTAssertEqual(requests(effects), [.posts(channelID: channel.id, since: nil)])
        let end = answer(&state, .failure(.unauthorized(nil)), now: 11_100)
        XCTAssertEqual(state.screen, .server)
        XCTAssertNil(state.banner, "no alert")
        XCTAssertEqual(state.lastSessionEnd, .revoked)
        XCTAssertTrue(end.contains(.wipeToken))
        XCTAssertTrue(end.contains(.save(.wipeServer(keepOutbox: false))), "failed posts go with the database")
        XCTAssertTrue(state.outbox.isEmpty)
        XCTAssertEqual(state.loginForm.username, "")
    }

    func testRealAppChecksItsSessionWhenItGoesToTheBackgroundAndClosesTheSocketAfter15Seconds() throws {
        var state = offlinePhone(.mattermostMobile)
        let reconnect = DeviceCore.reduce(&state, .setAirplane(false), now: 10_000)
        let id = try XCTUnwrap(socketID(reconnect))
        _ = DeviceCore.reduce(&state, .socketUpgraded(id: id), now: 10_010)
        _ = DeviceCore.reduce(&state, .socketHello(id: id, connectionID: "c1"), now: 10_020)
        let effects = DeviceCore.reduce(&state, .background, now: 20_000)
        XCTAssertEqual(requests(effects), [.mySessions])
        answer(&state, .success(.json(.array([]))), now: 20_100)
        XCTAssertTrue(state.isLoggedIn)
        XCTAssertEqual(state.timers[.backgroundClose], 35_000)
        let closing = DeviceCore.reduce(&state, .timerFired(.backgroundClose), now: 35_000)
        XCTAssertTrue(closing.contains(.closeSocket))
        XCTAssertNil(state.timers[.retry], "closed by the app: no retry")
        let back = DeviceCore.reduce(&state, .foreground, now: 40_000)
        XCTAssertEqual(requests(back), [], "the foreground alone makes no REST call")
        XCTAssertNotNil(socketID(back), "it reopens the socket")
        guard case .openSocket(_, let resume, _)? = back.first(where: { if case .openSocket = $0 { return true } else { return false } }) else {
            return XCTFail("\(back)")
        }
        XCTAssertEqual(resume?.connectionID, "c1", "a reliable-websocket resume")
    }

    func testRealAppSessionCheckOn401LogsOut() {
        var state = offlinePhone(.mattermostMobile)
        _ = DeviceCore.reduce(&state, .setAirplane(false), now: 10_000)
        _ = DeviceCore.reduce(&state, .background, now: 11_000)
        answer(&state, .failure(.unauthorized(nil)), now: 11_100)
        XCTAssertEqual(state.screen, .server)
        XCTAssertFalse(state.isLoggedIn)
    }

    func testHelloWithANewConnectionIDRunsTheRestSyncAndTheSameIDDoesNot() throws {
        var state = offlinePhone(.mattermostMobile)
        var effects = DeviceCore.reduce(&state, .setAirplane(false), now: 10_000)
        var id = try XCTUnwrap(socketID(effects))
        _ = DeviceCore.reduce(&state, .socketUpgraded(id: id), now: 10_001)
        effects = DeviceCore.reduce(&state, .socketHello(id: id, connectionID: "c1"), now: 10_002)
        XCTAssertEqual(requests(effects), [], "the first hello of the process: no second sync")
        effects = DeviceCore.reduce(&state, .socketClosed(id: id, reason: "reset"), now: 20_000)
        effects = DeviceCore.reduce(&state, .timerFired(.retry), now: 23_000)
        id = try XCTUnwrap(socketID(effects))
        _ = DeviceCore.reduce(&state, .socketUpgraded(id: id), now: 23_001)
        effects = DeviceCore.reduce(&state, .socketHello(id: id, connectionID: "c2"), now: 23_002)
        XCTAssertEqual(requests(effects).first, .clientConfig, "a new connection id: the entry sync")
    }

    func testWithoutReliableWebSocketsEveryReopenRunsTheRestSync() throws {
        var state = offlinePhone(.mattermostMobile)
        var effects = DeviceCore.reduce(&state, .setAirplane(false), now: 10_000)
        var id = try XCTUnwrap(socketID(effects))
        _ = DeviceCore.reduce(&state, .socketUpgraded(id: id), now: 10_001)
        // The config of an old server without reliable websockets, as the first sync reads it.
        state.inFlight = InFlightRequest(id: 99, call: .clientConfig, startedAt: 10_002)
        _ = DeviceCore.reduce(&state, .response(requestID: 99, .success(.json(.object([
            "Version": .string("5.37.0"), "EnableReliableWebSockets": .string("false")])))), now: 10_003)
        XCTAssertEqual(state.webSocket.reliable, false)
        _ = DeviceCore.reduce(&state, .socketClosed(id: id, reason: "reset"), now: 20_000)
        effects = DeviceCore.reduce(&state, .timerFired(.retry), now: 23_000)
        id = try XCTUnwrap(socketID(effects))
        effects = DeviceCore.reduce(&state, .socketUpgraded(id: id), now: 23_001)
        XCTAssertEqual(requests(effects).first, .clientConfig, "every reopen runs the REST sync at once")
        let sync = answer(&state, .failure(.unauthorized(nil)), now: 23_100)
        XCTAssertEqual(requests(sync), [], "config answers 401 only on a broken server, but any fetch 401 logs out")
        XCTAssertEqual(state.screen, .server)
    }

    func testReliableWebSocketRule() {
        XCTAssertTrue(ReliableWebSocket.supported(config: .object(["Version": .string("10.11.0")])))
        XCTAssertTrue(ReliableWebSocket.supported(config: .object(["Version": .string("6.5.0")])))
        XCTAssertFalse(ReliableWebSocket.supported(config: .object(["Version": .string("6.4.9")])))
        XCTAssertTrue(ReliableWebSocket.supported(config: .object(["Version": .string("6.0.0"), "EnableReliableWebSockets": .string("true")])))
        XCTAssertFalse(ReliableWebSocket.supported(config: .object([:])))
    }

    func testRealAppFailedPostIsRetriedOnlyByTryAgainAndA401OnCreateDoesNotLogOut() throws {
        var state = offlinePhone(.mattermostMobile)
        _ = DeviceCore.reduce(&state, .compose(channelID: channel.id, text: "hello", pendingPostID: "p1"), now: 2_000)
        let effects = DeviceCore.reduce(&state, .setAirplane(false), now: 10_000)
        let id = try XCTUnwrap(socketID(effects))
        let open = DeviceCore.reduce(&state, .socketUpgraded(id: id), now: 10_001)
        XCTAssertFalse(requests(open).contains { if case .createPost = $0 { return true } else { return false } },
                       "no automatic retry")
        XCTAssertEqual(state.outbox.first?.state, .failed)
        let retry = DeviceCore.reduce(&state, .retryPost(pendingPostID: "p1"), now: 11_000)
        guard case .createPost? = requests(retry).first else { return XCTFail("Try Again sends it: \(retry)") }
        answer(&state, .failure(.unauthorized(nil)), now: 11_100)
        XCTAssertTrue(state.isLoggedIn, "createPost does not call forceLogoutIfNecessary")
        XCTAssertEqual(state.outbox.first?.state, .failed)
    }

    func testRealAppColdStartOpensTheSocketAndRunsTheEntrySyncBesideIt() {
        var state = DeviceState(name: "phone", deviceID: "d1", serverURL: "http://s", app: .mattermostMobile)
        let snapshot = BootSnapshot(hasToken: true, account: user, team: team, channels: [channel], lastUsername: "user-1")
        let effects = DeviceCore.reduce(&state, .booted(snapshot), now: 1_000)
        XCTAssertNotNil(socketID(effects))
        XCTAssertEqual(requests(effects), [.clientConfig])
        var calls: [APICall] = [.clientConfig]
        while let next = requests(answer(&state, .success(.json(.object([:]))), now: 1_100)).first {
            calls.append(next)
            if calls.count > 10 { break }
        }
        XCTAssertEqual(calls, [.clientConfig, .clientLicense, .preferences, .teams, .teamMembers, .me, .channels(teamID: team.id),
                               .channelMembers(teamID: team.id)].prefix(calls.count).map { $0 })
        XCTAssertGreaterThanOrEqual(calls.count, 4)
    }

    func testRealAppWithoutATokenStartsOnTheServerScreenAndConnectLeadsToLogin() {
        var state = DeviceState(name: "phone", deviceID: "d1", serverURL: "http://s", app: .mattermostMobile)
        _ = DeviceCore.reduce(&state, .booted(BootSnapshot()), now: 1_000)
        XCTAssertEqual(state.screen, .server)
        _ = DeviceCore.reduce(&state, .connectServer, now: 1_100)
        XCTAssertEqual(state.screen, .login)
    }

    func testReferenceRevalidatesWhenItComesBackToTheForeground() {
        var state = offlinePhone(.reference)
        state.airplane = false
        _ = DeviceCore.reduce(&state, .background, now: 2_000)
        let effects = DeviceCore.reduce(&state, .foreground, now: 3_000)
        XCTAssertEqual(requests(effects), [.me])
    }

    func testTheAppModelChangesOnlyWhileLoggedOut() {
        var state = offlinePhone(.reference)
        _ = DeviceCore.reduce(&state, .setApp(.mattermostMobile), now: 2_000)
        XCTAssertEqual(state.app, .reference)
        _ = DeviceCore.reduce(&state, .logout, now: 3_000)
        _ = DeviceCore.reduce(&state, .setApp(.mattermostMobile), now: 4_000)
        XCTAssertEqual(state.app, .mattermostMobile)
        XCTAssertEqual(state.screen, .server)
    }

    /// The app cannot be used from the background: touching it opens it first.
    func testTouchingTheAppInTheBackgroundBringsItToTheForegroundFirst() {
        var state = offlinePhone(.mattermostMobile)
        state.airplane = false
        _ = DeviceCore.reduce(&state, .background, now: 2_000)
        XCTAssertEqual(state.visibility, .background)
        _ = DeviceCore.reduce(&state, .openChannel(channel.id), now: 3_000)
        XCTAssertEqual(state.visibility, .foreground)
        XCTAssertEqual(state.screen, .channel(channel.id))
        XCTAssertNil(state.timers[.backgroundClose], "the background close no longer applies")
    }

    /// A dark phone may hold a session on disk: its model changes only once it is on and logged out.
    func testTheModelOfAPoweredOffPhoneStays() {
        var state = DeviceState(name: "phone", deviceID: "d1", serverURL: "http://s", app: .mattermostMobile)
        _ = DeviceCore.reduce(&state, .setApp(.reference), now: 1_000)
        XCTAssertEqual(state.app, .mattermostMobile)
    }
}
