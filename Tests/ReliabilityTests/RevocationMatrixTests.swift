import Device
import EmbeddedServer
import FaultProxy
import Foundation
import MattermostClient
import XCTest

/// Every way a session ends × every state a phone can be in when it happens → the login screen, the token cache
/// wiped, and the outbox kept or wiped as the phone's policy says. Prints its figures.
final class RevocationMatrixTests: XCTestCase {
    enum Revocation: String, CaseIterable { case revokeAll = "revoke all", revokeUser = "revoke user",
                                          revokeSession = "revoke session", expiry, deactivated = "user deactivated" }
    enum Situation: String, CaseIterable { case onlineIdle = "online idle", webSocketOpen = "websocket open (slow-3g)",
                                         airplane, poweredOff = "powered off", requestInFlight = "request in flight" }

    static let sessionHours = 1
    static let sessionMillis = Int64(sessionHours) * 3_600_000

    func testRevocationMatrix() async throws {
        var cases = 0, missed = 0, problems: [String] = []
        for policy in RevokePolicy.allCases {
            for revocation in Revocation.allCases {
                for situation in Situation.allCases {
                    let found = try await run(revocation, while: situation, policy: policy)
                    cases += 1
                    if found.missed { missed += 1 }
                    problems += found.problems.map { "\(policy.rawValue) · \(revocation.rawValue) × \(situation.rawValue): \($0)" }
                }
            }
        }
        print("revocation matrix: \(cases) cases, \(missed) missed revocations, \(problems.count) problems")
        XCTAssertEqual(missed, 0)
        XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
    }

    func run(_ revocation: Revocation, while situation: Situation, policy: RevokePolicy) async throws -> (missed: Bool, problems: [String]) {
        let w = try await World.start(policy: policy, sessionHours: Self.sessionHours)
        defer { Task { await w.stop() } }
        let phone = w.phone
        var problems: [String] = []
        await w.launchAndLogin(phone)
        let loggedInAt = w.clock.nowMillis
        let userID = try await w.userID("user-1")
        await w.console.signIn()
        let channel = await phone.state.channel(named: "town-square")?.id ?? ""
        let message = "sealed \(revocation.rawValue) \(situation.rawValue)"

        // Into the situation; `unsent` is how many messages wait on the phone when the session ends.
        var unsent = 0
        switch situation {
        case .onlineIdle:
            break
        case .webSocketOpen:
            await phone.setNetwork(.slow3g)
            await w.simulation.advance(byMillis: 60_000)
            if case .open = await phone.state.socket {} else { problems.append("no socket open over slow-3g") }
        case .airplane:
            await phone.send(.setAirplane(true))
            await phone.compose(channelID: channel, text: message)
            unsent = 1
        case .poweredOff:
            await phone.send(.setAirplane(true))
            await phone.compose(channelID: channel, text: message)
            await phone.powerOff()
            await phone.send(.setAirplane(false))
            unsent = 1
        case .requestInFlight:
            await phone.setNetwork(.slow3g)
            await w.simulation.advance(byMillis: 30_000)
            if revocation == .expiry {
                // Send just before the session expires, so that it expires while the post is on its way.
                await w.simulation.advance(byMillis: loggedInAt + Self.sessionMillis - 1_000 - w.clock.nowMillis)
            }
            await phone.compose(channelID: channel, text: message)
            await w.simulation.settle()
            if case .createPost = await phone.state.inFlight?.call {} else { problems.append("the post was not in flight") }
            unsent = 1
        }

        // The session ends.
        switch revocation {
        case .revokeAll: await w.console.revokeAllSessions()
        case .revokeUser: await w.console.revokeSessions(ofUser: userID)
        case .revokeSession: await w.console.revokeSession(ofUser: userID, deviceID: "device-phone")
        case .deactivated: await w.console.setActive(userID: userID, active: false)
        case .expiry: break
        }
        let wait: Int64 = revocation == .expiry ? max(Self.sessionMillis + 60_000 - (w.clock.nowMillis - loggedInAt), 60_000) : 3 * 60_000
        await w.simulation.advance(byMillis: wait)

        // Back: the phone finds out.
        switch situation {
        case .airplane: await phone.send(.setAirplane(false))
        case .poweredOff: await phone.powerOn()
        default: break
        }
        await w.simulation.advance(byMillis: 60_000)

        let state = await phone.state
        let cacheEmpty = await phone.tokenCacheIsEmpty()
        let missed = state.screen != .login || !cacheEmpty || state.isLoggedIn
        if missed { problems.append("not logged out: screen \(state.screen.name), cache empty \(cacheEmpty)") }
        if state.banner != .sessionRevoked { problems.append("banner \(state.banner?.text ?? "none")") }
        let expected = policy == .keepOutbox ? unsent : 0
        let stored = await phone.storedOutboxCount()
        if state.outbox.count != expected || stored != expected {
            problems.append("outbox \(state.outbox.count) (disk \(stored)), policy \(policy.rawValue) expects \(expected)")
        }

        // Nothing lost: the same user logs in again and the sealed message goes out, once.
        if revocation != .deactivated {
            await phone.setNetwork(.online)
            await phone.login(username: "user-1", password: SeedAccounts.userPassword)
            await w.simulation.advance(byMillis: 30_000)
            let copies = try await w.serverPosts(channelID: channel).filter { $0.message == message }.count
            let wanted = [expected]  // in flight: held at the proxy, so it never reached the server before the 401
            if !(await phone.state.isLoggedIn) { problems.append("could not log in again") }
            if !wanted.contains(copies) { problems.append("the server has \(copies) copies after logging in again, expected \(expected)") }
        }
        return (missed, problems)
    }
}
