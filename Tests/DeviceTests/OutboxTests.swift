import Device
import EmbeddedServer
import MattermostModel
import XCTest

/// Nothing the user typed is lost, and nothing is sent twice or as the wrong user.
final class OutboxTests: XCTestCase {
    func testMessagesWrittenOfflineSurviveAPowerCycleAndArriveExactlyOnce() async throws {
        let h = try await Harness.start()
        let phone = h.phone
        await h.launchAndLogin(phone)
        let channel = await h.townSquare(phone)
        await phone.send(.setAirplane(true))
        _ = await phone.compose(channelID: channel, text: "first, offline")
        _ = await phone.compose(channelID: channel, text: "second, offline")
        var state = await phone.state
        XCTAssertEqual(state.outbox.map(\.state), [.pending, .pending])

        await phone.powerOff()
        await phone.powerOn()
        state = await phone.state
        XCTAssertEqual(state.outbox.map(\.message), ["first, offline", "second, offline"], "kept on disk, in order")

        await phone.send(.setAirplane(false))
        await h.simulation.settle()
        state = await phone.state
        XCTAssertTrue(state.outbox.isEmpty)
        let posts = try await h.serverPosts(channelID: channel).map(\.message)
        XCTAssertEqual(posts.filter { $0 == "first, offline" }.count, 1)
        XCTAssertEqual(posts.filter { $0 == "second, offline" }.count, 1)
        XCTAssertLessThan(posts.firstIndex(of: "first, offline") ?? 99, posts.firstIndex(of: "second, offline") ?? -1)

        // Another reconnect must not resend anything.
        await phone.send(.setAirplane(true))
        await phone.send(.setAirplane(false))
        await h.simulation.settle()
        let again = try await h.serverPosts(channelID: channel).map(\.message)
        XCTAssertEqual(again.filter { $0 == "first, offline" }.count, 1)
        await h.stop()
    }

    func testAfterARevocationMessagesWaitForTheirAuthorOnly() async throws {
        let h = try await Harness.start()
        let phone = h.phone
        await h.launchAndLogin(phone, user: "user-1")
        let channel = await h.townSquare(phone)
        await phone.send(.setAirplane(true))
        _ = await phone.compose(channelID: channel, text: "sealed for user-1")
        await h.simulation.console.revokeAllSessions()
        await phone.send(.setAirplane(false))
        await h.simulation.settle()
        var state = await phone.state
        XCTAssertEqual(state.screen, .login)
        XCTAssertEqual(state.outbox.count, 1, "kept through the revocation")
        let stored = await phone.storedOutboxCount()
        XCTAssertEqual(stored, 1)

        // Someone else logs in on this phone: the message is not theirs to send.
        await phone.login(username: "user-2", password: SeedAccounts.userPassword)
        await h.simulation.settle()
        state = await phone.state
        XCTAssertEqual(state.account?.username, "user-2")
        XCTAssertEqual(state.outbox.count, 1)
        var messages = try await h.serverPosts(channelID: channel).map(\.message)
        XCTAssertFalse(messages.contains("sealed for user-1"))

        await phone.send(.logout)
        await phone.login(username: "user-1", password: SeedAccounts.userPassword)
        await h.simulation.settle()
        state = await phone.state
        XCTAssertTrue(state.outbox.isEmpty)
        let posts = try await h.serverPosts(channelID: channel)
        messages = posts.map(\.message)
        XCTAssertEqual(messages.filter { $0 == "sealed for user-1" }.count, 1)
        let author = posts.first { $0.message == "sealed for user-1" }?.userID
        XCTAssertEqual(author, state.account?.id)
        await h.stop()
    }

    func testWipePolicyLosesUnsentMessagesLikeTheRealApp() async throws {
        let h = try await Harness.start(policy: .wipe)
        let phone = h.phone
        await h.launchAndLogin(phone)
        let channel = await h.townSquare(phone)
        await phone.send(.setAirplane(true))
        _ = await phone.compose(channelID: channel, text: "lost")
        await h.simulation.console.revokeAllSessions()
        await phone.send(.setAirplane(false))
        await h.simulation.settle()
        let state = await phone.state
        XCTAssertEqual(state.screen, .login)
        XCTAssertTrue(state.outbox.isEmpty)
        let stored = await phone.storedOutboxCount()
        XCTAssertEqual(stored, 0)
        await h.stop()
    }

    func testAMessageSentOnlineArrivesAndShowsOnAnotherPhone() async throws {
        let h = try await Harness.start(phones: ["one", "two"])
        let (one, two) = (h.simulation.phones[0], h.simulation.phones[1])
        await h.launchAndLogin(one, user: "user-1")
        await h.launchAndLogin(two, user: "user-2")
        let channel = await h.townSquare(one)
        _ = await one.compose(channelID: channel, text: "hello from one")
        await h.simulation.settle()
        let seen = await two.state.posts[channel]?.contains { $0.message == "hello from one" } ?? false
        XCTAssertTrue(seen, "delivered to the other phone over the WebSocket")
        await h.stop()
    }
}
