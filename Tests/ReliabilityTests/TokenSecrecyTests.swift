import EmbeddedServer
import Foundation
import Synchronization
import XCTest

/// Runs a scenario through the built binary with every output on (JUnit, TAP, JSON, snapshots, recording, a
/// debug log file), against an in-process server whose passwords were generated for this run, then searches
/// everything the run wrote, its stdout/stderr and its arguments for every token the server issued and every
/// password → zero hits.
final class TokenSecrecyTests: XCTestCase {
    func testNoTokenOrPasswordInAnythingARunWrites() async throws {
        let issued = Mutex<[String]>([])
        var config = ServerConfiguration(port: 0, bcryptCost: 4)
        config.onTokenIssued = { token in issued.withLock { $0.append(token) } }
        let server = try await EmbeddedServer.start(config)
        let userPassword = "Pw-" + UUID().uuidString
        let readerPassword = "Pw-" + UUID().uuidString
        _ = try await server.ensureUser(username: "secret-user", password: userPassword)
        _ = try await server.ensureUser(username: "secret-reader", password: readerPassword)

        let out = Binary.temporaryFolder("secrecy")
        defer { try? FileManager.default.removeItem(at: out) }
        let scenario = out.appendingPathComponent("secret.yaml")
        try """
            name: secrets stay secret
            devices:
              phone: { user: secret-user }
            credentials:
              secret-user: ${SECRET_USER_PASSWORD}
              secret-reader: ${SECRET_READER_PASSWORD}
              sysadmin: ${ADMIN_PASSWORD}
            steps:
              - launch: phone
              - login: phone
              - assertScreen: { device: phone, screen: channels }
              - snapshot: { device: phone, name: logged-in }
              - post: { device: phone, channel: Town Square, text: "hello from a secret user" }
              - assertPost: { channel: Town Square, text: "hello from a secret user", by: secret-user, as: secret-reader }
              - airplane: { device: phone, on: true }
              - revokeAllSessions: { as: sysadmin }
              - airplane: { device: phone, on: false }
              - wait: 1s
              - assertScreen: { device: phone, screen: login }
              - login: phone
              - assertScreen: { device: phone, screen: channels }
              - login: { device: phone, user: secret-user, password: "not-the-password" }
            """.write(to: scenario, atomically: true, encoding: .utf8)

        let reports = out.appendingPathComponent("reports")
        let arguments = ["run", scenario.path, "--server", server.baseURL,
                         "--junit", reports.appendingPathComponent("junit.xml").path,
                         "--tap", reports.appendingPathComponent("report.tap").path,
                         "--json", reports.appendingPathComponent("report.json").path,
                         "--snapshots", reports.appendingPathComponent("snapshots").path,
                         "--record", reports.appendingPathComponent("run.cast").path,
                         "--log-file", reports.appendingPathComponent("mmsim.log").path, "--log-level", "trace"]
        let result = try Binary.run(arguments, environment: ["SECRET_USER_PASSWORD": userPassword,
                                                             "SECRET_READER_PASSWORD": readerPassword,
                                                             "ADMIN_PASSWORD": SeedAccounts.adminPassword])
        await server.stop()
        // The last step fails on purpose (a wrong password): failure reports carry screens and timelines too.
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)

        let secrets = issued.withLock { $0 } + [userPassword, readerPassword]
        var texts: [(String, String)] = [("stdout", result.stdout), ("stderr", result.stderr),
                                         ("arguments", arguments.joined(separator: " "))]
        let files = FileManager.default.enumerator(at: reports, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where !file.hasDirectoryPath {
            texts.append((file.lastPathComponent, String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)))
        }
        var hits: [String] = []
        for (name, text) in texts {
            for secret in secrets where text.contains(secret) { hits.append("\(name) contains a \(secret.hasPrefix("Pw-") ? "password" : "token")") }
        }
        let tokens = secrets.count - 2
        print("token secrecy: \(tokens) tokens + 2 passwords searched in \(texts.count) outputs, \(hits.count) hits")
        XCTAssertGreaterThanOrEqual(tokens, 4, "phone ×2, console, reader")
        XCTAssertGreaterThanOrEqual(files.filter { !$0.hasDirectoryPath }.count, 6)
        XCTAssertTrue(hits.isEmpty, hits.joined(separator: "\n"))
    }
}
