import Device
import EmbeddedServer
import FaultProxy
import Foundation
import Logging
import MattermostClient
import XCTest

/// The embedded server over https/wss with the test CA of Tests/Fixtures/tls: the phone straight to it, the phone
/// through the fault proxy (plain HTTP to the proxy, TLS upstream), a phone that does not trust the CA, and a bad
/// `--ca-file` on the command line.
final class TLSUpstreamTests: XCTestCase {
    static let fixtures = Binary.root.appendingPathComponent("Tests/Fixtures/tls")
    static let serverTLS = ServerTLS(certificateFile: fixtures.appendingPathComponent("server.pem").path,
                                     privateKeyFile: fixtures.appendingPathComponent("server-key.pem").path)
    static func testCA() throws -> ClientTrust { try ClientTrust.load(caFile: fixtures.appendingPathComponent("ca.pem").path) }

    func history(_ state: DeviceState) -> String { state.timeline.last(12).map(\.text).joined(separator: " | ") }

    /// (a) Straight to https: login, wss open, and MM-T941 — revoked in airplane mode, found on reconnect.
    func testPhoneTrustingTheCALogsInOverHTTPSAndFindsTheRevocation() async throws {
        let w = try await World.start(tls: Self.serverTLS, trust: try Self.testCA())
        XCTAssertTrue(w.server.baseURL.hasPrefix("https://localhost:"), w.server.baseURL)
        await w.launchAndLogin(w.phone)
        var state = await w.phone.state
        XCTAssertTrue(state.isLoggedIn, history(state))
        XCTAssertEqual(state.connection, .live, history(state))
        if case .open = state.socket {} else { XCTFail("no wss socket: \(state.socket) — \(history(state))") }
        let consoleSignedIn = await w.console.signIn()
        XCTAssertTrue(consoleSignedIn, "the System Console signs in over https")

        await w.phone.send(.setAirplane(true))
        let revoked = await w.console.revokeAllSessions()
        XCTAssertTrue(revoked)
        await w.simulation.advance(byMillis: 3 * 60_000)
        await w.phone.send(.setAirplane(false))
        await w.simulation.advance(byMillis: 60_000)

        state = await w.phone.state
        XCTAssertEqual(state.screen, .login, history(state))
        XCTAssertEqual(state.banner, .sessionRevoked, history(state))
        let cacheEmpty = await w.phone.tokenCacheIsEmpty()
        XCTAssertTrue(cacheEmpty)
        await w.stop()
    }

    /// (b) `online` at the proxy itself (phones on `online` bypass it): plain HTTP in, TLS out, REST and WebSocket.
    /// The same proxy without the CA answers 502: the proxy's own trust is what reaches the server.
    func testProxyForwardsPlainHTTPToAnHTTPSUpstream() async throws {
        let w = try await World.start(tls: Self.serverTLS, trust: try Self.testCA())
        w.proxy.setProfile(.online, route: "probe")
        let viaProxy = MattermostAPI(baseURL: w.proxy.baseURL + "/phone/probe")
        XCTAssertTrue(viaProxy.baseURL.hasPrefix("http://127.0.0.1:"))
        let login = try await viaProxy.login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil)
        let me = try await viaProxy.me(token: login.token)
        XCTAssertEqual(me.username, "user-1")

        let socket = WebSocketConnection(baseURL: viaProxy.baseURL)
        XCTAssertTrue(socket.url.hasPrefix("ws://127.0.0.1:"))
        let hello = HelloProbe()
        try await socket.run(token: login.token) { frame in
            if case .event(let event) = frame, event.event == WebSocketEvent.hello {
                hello.seen()
                socket.close()
            }
        }
        XCTAssertTrue(hello.wasSeen, "no hello over ws → proxy → wss")

        let untrusting = try await FaultProxy.start(upstream: w.server.baseURL, clock: w.clock)
        untrusting.setProfile(.online, route: "probe")
        do {
            try await MattermostAPI(baseURL: untrusting.baseURL + "/phone/probe").ping()
            XCTFail("a proxy without the CA reached the https server")
        } catch {
            XCTAssertEqual(error, .server(status: 502))
        }
        await untrusting.stop()
        await w.stop()
    }

    /// (b) A phone behind the proxy in front of https: no false logout under each profile, the right banner,
    /// recovery once back `online`.
    func testProfilesThroughTheProxyInFrontOfHTTPS() async throws {
        var problems: [String] = []
        for profile in [NetworkProfile.server5xx, .truncated, .slow3g] {
            let w = try await World.start(tls: Self.serverTLS, trust: try Self.testCA())
            let phone = w.phone
            await w.launchAndLogin(phone)
            await phone.send(.setAirplane(true))
            await phone.setNetwork(profile)
            await phone.send(.setAirplane(false))
            await w.simulation.advance(byMillis: 120_000)

            var state = await phone.state
            var cacheEmpty = await phone.tokenCacheIsEmpty()
            if !state.isLoggedIn || state.screen == .login || cacheEmpty || state.banner == .sessionRevoked {
                problems.append("\(profile.rawValue): logged out — \(history(state))")
            }
            if profile == .slow3g {
                if state.connection != .live { problems.append("slow-3g: not live through the proxy — \(history(state))") }
                if case .open = state.socket {} else { problems.append("slow-3g: no socket through the proxy — \(history(state))") }
            } else if state.banner != .unreachable {
                problems.append("\(profile.rawValue): banner \(state.banner?.text ?? "none") — \(history(state))")
            }

            await phone.setNetwork(.online)
            await w.simulation.advance(byMillis: 60_000)
            state = await phone.state
            cacheEmpty = await phone.tokenCacheIsEmpty()
            if !state.isLoggedIn || cacheEmpty || state.connection != .live || ![nil, Banner.restored].contains(state.banner) {
                problems.append("\(profile.rawValue): not recovered — \(history(state))")
            }
            if case .open = state.socket {} else { problems.append("\(profile.rawValue): no wss socket after recovery") }
            await w.stop()
        }
        XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
    }

    /// (b) MM-T941 with the phone's link through the proxy (slow-3g passes everything, late): still found.
    func testRevocationIsFoundThroughTheProxy() async throws {
        let w = try await World.start(tls: Self.serverTLS, trust: try Self.testCA())
        let phone = w.phone
        await w.launchAndLogin(phone)
        await phone.setNetwork(.slow3g)
        await w.simulation.advance(byMillis: 60_000)
        var state = await phone.state
        if case .open = state.socket {} else { XCTFail("no socket through the proxy: \(history(state))") }

        await phone.send(.setAirplane(true))
        _ = await w.console.signIn()
        let revoked = await w.console.revokeAllSessions()
        XCTAssertTrue(revoked)
        await w.simulation.advance(byMillis: 3 * 60_000)
        await phone.send(.setAirplane(false))
        await w.simulation.advance(byMillis: 60_000)

        state = await phone.state
        let network = await phone.network
        XCTAssertEqual(network, .slow3g)
        XCTAssertEqual(state.screen, .login, history(state))
        XCTAssertEqual(state.banner, .sessionRevoked, history(state))
        let cacheEmpty = await phone.tokenCacheIsEmpty()
        XCTAssertTrue(cacheEmpty)
        await w.stop()
    }

    /// (c) A phone that does not trust the CA: a connection problem that says TLS, never a logout; the token stays.
    func testPhoneWithoutTheCAKeepsItsSessionAndSaysTLS() async throws {
        let ca = try Self.testCA()
        let w = try await World.start(tls: Self.serverTLS, trust: ca)
        await w.launchAndLogin(w.phone)
        let loggedIn = await w.phone.state.isLoggedIn
        XCTAssertTrue(loggedIn)
        await w.simulation.shutdown()

        // The same phone (same folder: token cache and local store) restarted without the CA.
        let untrusting = Simulation(serverURL: w.server.baseURL, clock: w.clock, phones: [w.phone.configuration],
                                    admin: (SeedAccounts.adminUsername, nil), autoSignIn: false,
                                    api: MattermostAPI(baseURL: w.server.baseURL, trust: .system))
        let phone = untrusting.phones[0]
        await phone.powerOn()
        await untrusting.advance(byMillis: 3 * 60_000)
        let state = await phone.state
        let cacheEmpty = await phone.tokenCacheIsEmpty()
        XCTAssertTrue(state.isLoggedIn, history(state))
        XCTAssertNotEqual(state.screen, .login, history(state))
        XCTAssertFalse(cacheEmpty, "the token was wiped by a TLS failure")
        XCTAssertEqual(state.banner, .unreachable, history(state))
        XCTAssertTrue(state.timeline.entries.contains { $0.text.contains("TLS: certificate not trusted") }, history(state))
        await untrusting.shutdown()

        // And the server is fine: the same request with the CA gets through.
        _ = try await MattermostAPI(baseURL: w.server.baseURL, trust: ca).ping()
        await w.proxy.stop()
        await w.server.stop()
        try? FileManager.default.removeItem(at: w.folder)
    }

    /// (d) A bad `--ca-file` stops the command before anything starts: exit 2 and the reason.
    func testBadCAFileExitsWithTwo() throws {
        let missing = try Binary.run(["--server", "https://localhost:1", "--ca-file", "/nonexistent/mmsim-ca.pem"])
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("--ca-file /nonexistent/mmsim-ca.pem cannot be read: no such file"), missing.stderr)

        let folder = Binary.temporaryFolder("tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notPEM = folder.appendingPathComponent("ca.pem")
        try Data("not a certificate\n".utf8).write(to: notPEM)
        let garbage = try Binary.run(["--server", "https://localhost:1", "--ca-file", notPEM.path])
        XCTAssertEqual(garbage.status, 2, garbage.stderr)
        XCTAssertTrue(garbage.stderr.contains("holds no PEM certificate"), garbage.stderr)

        // The key is not a certificate either.
        let key = Self.fixtures.appendingPathComponent("server-key.pem").path
        let keyOnly = try Binary.run(["--server", "https://localhost:1", "--ca-file", key])
        XCTAssertEqual(keyOnly.status, 2, keyOnly.stderr)
    }

    /// `serve --tls-cert/--tls-key`: both or neither, and files that are not what they claim stop it with 2.
    /// `mmsim run --server https://… --ca-file`: the scenario's phone, console and proxy trust the CA; without it
    /// the login step fails on TLS (exit 1), never passes by accident.
    func testRunAgainstHTTPSWithCAFile() async throws {
        var config = ServerConfiguration(port: 0, bcryptCost: 4)
        config.tls = Self.serverTLS
        let server = try await EmbeddedServer.start(config)
        let folder = Binary.temporaryFolder("run-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("tls.yaml")
        try """
            name: MM-T941 over https
            devices:
              phone: { user: user-1 }
            credentials:
              user-1: ${USER_PASSWORD}
              sysadmin: ${ADMIN_PASSWORD}
            steps:
              - launch: phone
              - login: phone
              - assertScreen: { device: phone, screen: channels }
              - airplane: { device: phone, on: true }
              - revokeAllSessions: { as: sysadmin }
              - airplane: { device: phone, on: false }
              - wait: 3s
              - assertScreen: { device: phone, screen: login }
            """.write(to: scenario, atomically: true, encoding: .utf8)
        let environment = ["USER_PASSWORD": SeedAccounts.userPassword, "ADMIN_PASSWORD": SeedAccounts.adminPassword]
        let ca = Self.fixtures.appendingPathComponent("ca.pem").path
        // Trusted: straight to the server, then behind the proxy (plain HTTP to it, TLS from it).
        let trusted = try Binary.run(["run", scenario.path, "--server", server.baseURL, "--ca-file", ca], environment: environment)
        let proxied = try Binary.run(["run", scenario.path, "--server", server.baseURL, "--ca-file", ca, "--network", "slow-3g"],
                                     environment: environment)
        let untrusted = try Binary.run(["run", scenario.path, "--server", server.baseURL, "--step-timeout", "5"],
                                       environment: environment)
        let embedded = try Binary.run(["run", scenario.path, "--ca-file", ca], environment: environment)
        await server.stop()
        XCTAssertEqual(trusted.status, 0, trusted.stdout + trusted.stderr)
        XCTAssertEqual(proxied.status, 0, proxied.stdout + proxied.stderr)
        XCTAssertEqual(untrusted.status, 2, "a server it cannot trust is checked before any scenario runs: "
                       + untrusted.stdout + untrusted.stderr)
        XCTAssertTrue(untrusted.stderr.contains("is not reachable (TLS: certificate not trusted (a private CA needs --ca-file))"),
                      untrusted.stderr)
        XCTAssertEqual(embedded.status, 2, "--ca-file without --server is bad usage: \(embedded.stderr)")
    }

    func testServeRefusesBadTLSFiles() throws {
        let cert = Self.fixtures.appendingPathComponent("server.pem").path
        let key = Self.fixtures.appendingPathComponent("server-key.pem").path
        let alone = try Binary.run(["serve", "--ephemeral", "--port", "0", "--tls-cert", cert])
        XCTAssertEqual(alone.status, 2, alone.stderr)
        XCTAssertTrue(alone.stderr.contains("--tls-cert and --tls-key go together"), alone.stderr)

        let swapped = try Binary.run(["serve", "--ephemeral", "--port", "0", "--tls-cert", key, "--tls-key", cert])
        XCTAssertEqual(swapped.status, 2, swapped.stderr)
        XCTAssertTrue(swapped.stderr.contains("holds no PEM certificate"), swapped.stderr)

        // A key of another certificate; and nothing was created before the refusal.
        let folder = Binary.temporaryFolder("tls-serve")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let other = Self.fixtures.appendingPathComponent("other-ca.pem").path
        let mismatch = try Binary.run(["serve", "--data", data.path, "--port", "0", "--tls-cert", other, "--tls-key", key])
        XCTAssertEqual(mismatch.status, 2, mismatch.stderr)
        XCTAssertTrue(mismatch.stderr.contains("does not match"), mismatch.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: data.path), "the data folder was made before the TLS check")
    }

    /// The CA file is parsed when loaded, not at the first handshake.
    func testClientTrustLoad() throws {
        XCTAssertEqual(try Self.testCA().caFile, Self.fixtures.appendingPathComponent("ca.pem").path)
        XCTAssertThrowsError(try ClientTrust.load(caFile: "/nonexistent")) { error in
            XCTAssertEqual(error as? ClientTrust.LoadError, .unreadable(path: "/nonexistent", reason: "no such file"))
        }
        XCTAssertThrowsError(try ClientTrust.load(caFile: Self.fixtures.path)) { error in
            guard case .unreadable = error as? ClientTrust.LoadError else { return XCTFail("\(error)") }
        }
    }
}

/// Set once from the socket's frame handler, read after `run` returns.
final class HelloProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var seenHello = false
    func seen() { lock.withLock { seenHello = true } }
    var wasSeen: Bool { lock.withLock { seenHello } }
}
