import Device
import EmbeddedServer
import MattermostClient
import MattermostModel
import Synchronization
import XCTest

/// The console pane shows the server as it is, like the browser's System Console, not as it was at its last action.
final class SystemConsoleTests: XCTestCase {
    /// Fires once a console state passes `test`; `wait` gives up at a deadline instead of hanging a red test.
    final class Sighting: Sendable {
        private let seen = Mutex<(Bool, CheckedContinuation<Bool, Never>?)>((false, nil))
        let test: @Sendable (SystemConsole.State) -> Bool
        init(_ test: @escaping @Sendable (SystemConsole.State) -> Bool) { self.test = test }

        func see(_ state: SystemConsole.State) {
            guard test(state) else { return }
            let waiter = seen.withLock { s in
                s.0 = true
                defer { s.1 = nil }
                return s.1
            }
            waiter?.resume(returning: true)
        }

        private func giveUp() {
            let waiter = seen.withLock { s in
                defer { s.1 = nil }
                return s.1
            }
            waiter?.resume(returning: false)
        }

        func wait(deadlineSeconds: Double) async -> Bool {
            let deadline = Task { [self] in
                try? await Task.sleep(for: .seconds(deadlineSeconds))
                giveUp()
            }
            defer { deadline.cancel() }
            return await withCheckedContinuation { continuation in
                let already = seen.withLock { s in
                    if s.0 { return true }
                    s.1 = continuation
                    return false
                }
                if already { continuation.resume(returning: true) }
            }
        }
    }

    static func sessions(_ username: String, in state: SystemConsole.State) -> Int? {
        state.users.first { $0.user.username == username }?.sessionCount
    }

    func testALoginElsewhereShowsWithoutAKeyPress() async throws {
        let h = try await Harness.start()
        let console = h.simulation.console
        let signedIn = await console.signIn()
        XCTAssertTrue(signedIn)
        let before = await console.state
        XCTAssertEqual(Self.sessions("user-2", in: before), 0)
        let sighting = Sighting { Self.sessions("user-2", in: $0) == 1 }
        await console.observe { sighting.see($0) }
        let poll = Task { await console.keepFresh(every: .milliseconds(20)) }

        _ = try await h.api.login(loginID: "user-2", password: SeedAccounts.userPassword, deviceID: nil)
        let shown = await sighting.wait(deadlineSeconds: 30)
        poll.cancel()
        await h.stop()
        XCTAssertTrue(shown, "user-2's new session never reached the console's list")
    }

    /// Each start of the app signs the console in: at its end the session goes too (they piled up on the server,
    /// one per start), and nothing still running signs it in again.
    func testSigningOutLeavesNoSessionBehind() async throws {
        let h = try await Harness.start()
        let console = h.simulation.console
        let signedIn = await console.signIn()
        XCTAssertTrue(signedIn)
        await h.simulation.shutdown()
        let again = await console.signIn()
        XCTAssertFalse(again, "signed out for good")
        let reader = try await h.api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil)
        let sessions = try await h.api.sessions(token: reader.token, userID: reader.user.id)
        await h.stop()
        XCTAssertEqual(sessions.count, 1, "only the reader's own session is left: \(sessions.map(\.id))")
    }

    /// Signed out by a revoke it did not make (the browser's Revoke All), the console keeps no counts from before.
    func testARevokeElsewhereLeavesNoStaleCounts() async throws {
        let clock = SimClock(mode: .virtual)
        let server = try await EmbeddedServer.start(ServerConfiguration(port: 0, bcryptCost: 4, clock: clock))
        let api = MattermostAPI(baseURL: server.baseURL)
        let console = SystemConsole(api: api, clock: clock, username: SeedAccounts.adminUsername,
                                    password: SeedAccounts.adminPassword, autoSignIn: false)
        let signedIn = await console.signIn()
        XCTAssertTrue(signedIn)
        let listed = await console.state.users
        XCTAssertFalse(listed.isEmpty)

        let browser = try await api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil)
        try await api.revokeAllSessionsInSystem(token: browser.token)
        await console.refresh()
        let state = await console.state
        await server.stop()
        XCTAssertFalse(state.signedIn)
        XCTAssertTrue(state.users.isEmpty, "the counts from before the revoke are not shown as current")
    }
}
