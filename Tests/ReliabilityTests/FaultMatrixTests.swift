import Device
import EmbeddedServer
import FaultProxy
import Foundation
import MattermostClient
import XCTest

/// Every network profile × {login, revalidation after reconnect, post, WebSocket}: nobody is logged out, the
/// banner says what is wrong, and everything recovers once the link is back `online`. Prints its figures.
final class FaultMatrixTests: XCTestCase {
    enum Operation: String, CaseIterable { case login, revalidation, post, webSocket = "websocket" }

    struct Outcome {
        var falseLogout = false
        var problems: [String] = []
    }

    func testFaultMatrix() async throws {
        var cases = 0, falseLogouts = 0, failures: [String] = []
        for profile in NetworkProfile.allCases {
            for operation in Operation.allCases {
                let outcome = try await run(operation, under: profile)
                cases += 1
                if outcome.falseLogout { falseLogouts += 1 }
                failures += outcome.problems.map { "\(profile.rawValue) × \(operation.rawValue): \($0)" }
            }
        }
        print("fault matrix: \(cases) cases, \(falseLogouts) false logouts, \(failures.count) other failures")
        XCTAssertEqual(cases, NetworkProfile.allCases.count * Operation.allCases.count)
        XCTAssertEqual(falseLogouts, 0)
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    /// What the banner must say while the link is bad; nil: the profile may or may not get through (lossy).
    func expectedBanner(_ profile: NetworkProfile) -> Banner?? {
        switch profile {
        case .online, .slow3g: return .some(nil)
        case .lossy: return nil
        default: return .some(.unreachable)
        }
    }

    func run(_ operation: Operation, under profile: NetworkProfile) async throws -> Outcome {
        let w = try await World.start(seed: 41)
        defer { Task { await w.stop() } }
        let phone = w.phone
        var outcome = Outcome()
        let text = "matrix \(profile.rawValue) \(operation.rawValue)"

        // 1. Get into the situation, then let the bad link do its worst for two minutes.
        switch operation {
        case .login:
            await phone.powerOn()
            await phone.setNetwork(profile)
            await phone.login(username: "user-1", password: SeedAccounts.userPassword)
        case .revalidation:
            await w.launchAndLogin(phone)
            await phone.send(.setAirplane(true))
            await phone.setNetwork(profile)
            await phone.send(.setAirplane(false))
        case .post:
            await w.launchAndLogin(phone)
            await phone.setNetwork(.slow3g)
            await w.simulation.advance(byMillis: 30_000)
            let channel = await phone.state.channel(named: "town-square")?.id ?? ""
            await phone.compose(channelID: channel, text: text)
            await w.simulation.settle()
            let call = await phone.state.inFlight?.call
            if case .createPost = call {} else { outcome.problems.append("the post was not in flight on slow-3g: \(String(describing: call))") }
            await phone.setNetwork(profile)
        case .webSocket:
            await w.launchAndLogin(phone)
            await phone.setNetwork(.slow3g)
            await w.simulation.advance(byMillis: 60_000)
            if case .open = await phone.state.socket {} else { outcome.problems.append("no socket open through the proxy") }
            await phone.setNetwork(profile)
        }
        await w.simulation.advance(byMillis: 120_000)

        var state = await phone.state
        let loggedInBefore = operation != .login
        if loggedInBefore {
            let cacheEmpty = await phone.tokenCacheIsEmpty()
            if !state.isLoggedIn || state.screen == .login || cacheEmpty || state.banner == .sessionRevoked {
                outcome.falseLogout = true
                outcome.problems.append("logged out: screen \(state.screen.name), cache empty \(cacheEmpty)")
            }
        } else if state.banner == .sessionRevoked {
            outcome.problems.append("a failed login said the session was revoked")
        }
        if case .some(let banner) = expectedBanner(profile) {
            var acceptable: [Banner?] = banner == nil ? [nil, .restored] : [banner]
            // A blackhole spends most of each cycle waiting for its 30 s timeout ("Connecting..."); the banner
            // must have said "not reachable" after each timeout.
            if profile == .blackhole, state.timeline.entries.contains(where: { $0.text.contains("server not reachable (network: timeout)") }) {
                acceptable.append(.connecting)
            }
            if operation == .login, banner == nil, !state.isLoggedIn {
                outcome.problems.append("login did not get through: \(state.banner?.text ?? "no banner")")
            } else if !acceptable.contains(state.banner) {
                outcome.problems.append("banner \(state.banner?.text ?? "none"), expected \(banner?.text ?? "none")")
            }
        }

        // 2. Back online: everything recovers, nothing is lost or sent twice.
        await phone.setNetwork(.online)
        await w.simulation.advance(byMillis: 10_000)
        if operation == .login, !(await phone.state.isLoggedIn) {
            await phone.login(username: "user-1", password: SeedAccounts.userPassword)
        }
        await w.simulation.advance(byMillis: 60_000)
        state = await phone.state
        if !state.isLoggedIn || state.connection != .live {
            outcome.problems.append("not recovered: connection \(state.connection.rawValue), screen \(state.screen.name)")
        }
        if ![nil, Banner.restored].contains(state.banner) {
            outcome.problems.append("banner after recovery: \(state.banner?.text ?? "")")
        }
        if operation == .webSocket, case .open = state.socket {} else if operation == .webSocket {
            outcome.problems.append("socket not open after recovery: \(state.socket)")
        }
        if operation == .post {
            let channel = state.channel(named: "town-square")?.id ?? ""
            let copies = try await w.serverPosts(channelID: channel).filter { $0.message == text }.count
            if copies != 1 { outcome.problems.append("the server has \(copies) copies of the post") }
            if !state.outbox.isEmpty { outcome.problems.append("outbox not empty: \(state.outbox.count)") }
        }
        return outcome
    }
}
