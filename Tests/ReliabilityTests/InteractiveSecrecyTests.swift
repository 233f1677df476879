import EmbeddedServer
import Foundation
import MMSimTestSupport
import Synchronization
import XCTest

/// The interactive app in a real terminal (tmux), against an in-process server that reports every token it issues:
/// MM-T941 by hand with a password generated for this run, then every byte the app wrote to the terminal, its
/// trace log, every file in its data folder and the command line of every mmsim process are searched for every
/// token and password → zero hits. The token cache is the one place a token must be (the phone's keychain); it is
/// checked to be private (0600) instead.
final class InteractiveSecrecyTests: XCTestCase {
    func testNoTokenOrPasswordOnScreenInTheLogOrInTheDataFolder() async throws {
        try BuiltBinary.requireBuilt()
        let issued = Mutex<[String]>([])
        var config = ServerConfiguration(port: 0, bcryptCost: 4)
        config.onTokenIssued = { token in issued.withLock { $0.append(token) } }
        let server = try await EmbeddedServer.start(config)
        let password = "Pw-" + UUID().uuidString
        _ = try await server.ensureUser(username: "tui-secret", password: password)

        let folder = BuiltBinary.temporaryFolder("tui-secrecy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let log = folder.appendingPathComponent("mmsim.log")
        let terminalBytes = folder.appendingPathComponent("terminal.bytes")

        let tmux = try Tmux.launch("\(BuiltBinary.url.path) --server \(server.baseURL) --data \(data.path) "
                                       + "--log-file \(log.path) --log-level trace",
                                   environment: ["MMSIM_ADMIN_USER": SeedAccounts.adminUsername,
                                                 "MMSIM_ADMIN_PASSWORD": SeedAccounts.adminPassword])
        defer { tmux.kill() }
        // Everything the app draws, byte for byte — not only the frames a capture happens to catch.
        tmux.run(["pipe-pane", "-t", "e2e", "-o", "cat >> '\(terminalBytes.path)'"], output: false)

        try tmux.wait(for: "Log in to your account", timeout: 60)
        try logIn(tmux, password: password, typingUsername: true)
        try tmux.revokeAllWhileInAirplaneMode()
        tmux.key("F2")
        try tmux.wait(for: "Your session has expired or was revoked. Please log in again.", timeout: 60)
        try logIn(tmux, password: password, typingUsername: false)

        let commandLines = Self.mmsimCommandLines()
        XCTAssertFalse(commandLines.isEmpty, "the app's process was found")
        tmux.key("F10")
        try tmux.waitForExit(timeout: 20)
        await server.stop()

        let tokens = issued.withLock { $0 }
        XCTAssertGreaterThanOrEqual(tokens.count, 3, "two phone logins and the console's")
        let secrets = tokens + [password, SeedAccounts.adminPassword]
        var outputs: [(name: String, bytes: Data)] = [("screen captures", Data(tmux.seenText.utf8)),
                                                      ("command lines", Data(commandLines.joined(separator: "\n").utf8))]
        let tokenCaches = try Self.files(under: data).filter { $0.lastPathComponent.hasPrefix("token-") }
        XCTAssertEqual(tokenCaches.count, 1, "one phone, one server")
        for cache in tokenCaches {
            let mode = try FileManager.default.attributesOfItem(atPath: cache.path)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o600, "the token cache is private to its owner")
        }
        for file in try Self.files(under: data) + [log, terminalBytes] where !tokenCaches.contains(file) {
            outputs.append((file.path.replacingOccurrences(of: folder.path + "/", with: ""), try Data(contentsOf: file)))
        }
        XCTAssertGreaterThan(try Data(contentsOf: terminalBytes).count, 10_000, "the terminal recording is there")
        XCTAssertGreaterThan(try Data(contentsOf: log).count, 0, "the trace log was written")

        var hits: [String] = []
        for output in outputs {
            for secret in secrets where output.bytes.range(of: Data(secret.utf8)) != nil {
                hits.append("\(output.name) contains a \(tokens.contains(secret) ? "token" : "password")")
            }
        }
        print("interactive secrecy: \(tokens.count) tokens + 2 passwords searched in \(outputs.count) outputs, \(hits.count) hits")
        XCTAssertTrue(hits.isEmpty, hits.joined(separator: "\n"))
    }

    /// The login screen remembers the last username and then starts in the password field, as the app does.
    private func logIn(_ tmux: Tmux, password: String, typingUsername: Bool) throws {
        try tmux.wait(for: "Log in to your account", timeout: 30)
        if typingUsername {
            tmux.type("tui-secret")
            tmux.key("Enter")
        }
        tmux.type(password)
        tmux.key("Enter")
        try tmux.wait(for: "Town Square", timeout: 30)
        try tmux.wait(for: "live", timeout: 30)
    }

    /// Every running process whose program is mmsim: its arguments, as `ps` would show them to anyone.
    static func mmsimCommandLines() -> [String] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { Int($0) != nil } ?? []
        return pids.compactMap { pid -> String? in
            guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let arguments = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let program = arguments.first, program.hasSuffix("/mmsim") else { return nil }
            return arguments.joined(separator: " ")
        }
    }

    static func files(under folder: URL) throws -> [URL] {
        let items = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { $0 as? URL } ?? []
        return items.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }
}
