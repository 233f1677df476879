@testable import EmbeddedServer
import Foundation
import GRDB
import MattermostModel
import XCTest

/// A damaged data folder is refused with one clear, secret-free error, never a trap or a raw SQLite code.
final class StoreDamageTests: XCTestCase {
    private var folder: URL!

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-damage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private var file: URL { folder.appendingPathComponent("mmsim.sqlite") }

    private func config() -> ServerConfiguration {
        ServerConfiguration(port: 0, dataDirectory: folder, bcryptCost: 4)
    }

    /// A seeded folder with one live session, left closed.
    private func seed() async throws {
        let server = try await EmbeddedServer.start(config())
        let base = server.baseURL
        let response = try await TestServer(server: server, clock: server.configuration.clock)
            .post(APIPath.login, LoginRequest(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil))
        XCTAssertEqual(response.status, 200, base)
        await server.stop()
    }

    private func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: file.path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// Starting the server and unlocking offline both refuse the folder with `databaseDamaged`.
    private func assertRefused(_ what: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        for attempt in ["start", "unlock"] {
            do {
                if attempt == "start" {
                    let server = try await EmbeddedServer.start(config())
                    await server.stop()
                } else {
                    _ = try EmbeddedServer.unlock(username: "user-1", dataDirectory: folder)
                }
                XCTFail("\(what): \(attempt) accepted a damaged database", file: file, line: line)
            } catch let error as EmbeddedServerError {
                guard case .databaseDamaged = error else {
                    XCTFail("\(what): \(attempt) threw \(error)", file: file, line: line)
                    continue
                }
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("the data folder's database is damaged ("), text, file: file, line: line)
                XCTAssertTrue(text.hasSuffix("; run `mmsim reset --data \(folder.path)` to start over"), text,
                              file: file, line: line)
                XCTAssertFalse(text.contains("$2"), "\(what): a bcrypt hash in \(text)", file: file, line: line)
                XCTAssertFalse(text.contains(SeedAccounts.userPassword), file: file, line: line)
            } catch {
                XCTFail("\(what): \(attempt) threw a raw error: \(error)", file: file, line: line)
            }
        }
    }

    func testAWrongTypeInAUserRowIsDamageNotATrap() async throws {
        try await seed()
        try tamper("UPDATE users SET create_at = 'abc' WHERE username = 'sysadmin'")
        try await assertRefused("users.create_at")
    }

    func testAWrongTypeInASessionRowIsDamage() async throws {
        try await seed()
        try tamper("UPDATE sessions SET expires_at = 'abc'")
        try await assertRefused("sessions.expires_at")
    }

    func testATruncatedFileIsDamage() async throws {
        try await seed()
        let data = try Data(contentsOf: file)
        XCTAssertGreaterThan(data.count, 8192)
        try data.prefix(data.count / 2 + 100).write(to: file)
        try await assertRefused("truncated")
    }

    func testAGarbageFileIsDamage() async throws {
        var random = SeededRandom(seed: 7)
        try Data((0..<16_384).map { _ in UInt8(random.below(256)) }).write(to: file)
        try await assertRefused("garbage")
    }

    /// Sessions and posts belong to their user: deleting the user deletes them.
    func testSessionsAndPostsGoWithTheirUser() async throws {
        let store = try Store(directory: nil)
        let user = try await store.insertUserIfMissing(username: "user-9", email: "user-9@example.com",
                                                       passwordHash: { "x" }, roles: "system_user", now: 1)
        let teamID = try await store.ensureTeam(name: "qa", displayName: "QA", now: 1)
        let channelID = try await store.ensureChannel(teamID: teamID, name: "town-square", displayName: "Town", now: 1)
        try await store.insert(StoredSession(id: MattermostID.new(), tokenHash: TokenHash.hex("t"), createAt: 1,
                                             expiresAt: 0, userID: user.id, deviceID: "", roles: "", props: [:]))
        _ = try await store.createPost(Post(id: MattermostID.new(), createAt: 1, userID: user.id, channelID: channelID,
                                            message: "hi", pendingPostID: ""))
        let counts = { @Sendable (db: Database) throws -> [Int] in
            [try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions") ?? -1,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM posts") ?? -1]
        }
        let before = try await store.read(counts)
        XCTAssertEqual(before, [1, 1])
        try await store.write { db in try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [user.id]) }
        let after = try await store.read(counts)
        XCTAssertEqual(after, [0, 0])
        // And no session or post can name a user that does not exist.
        do {
            try await store.insert(StoredSession(id: MattermostID.new(), tokenHash: TokenHash.hex("u"), createAt: 1,
                                                 expiresAt: 0, userID: MattermostID.new(), deviceID: "", roles: "",
                                                 props: [:]))
            XCTFail("a session of no user was stored")
        } catch let error as DatabaseError {
            XCTAssertEqual(error.resultCode, .SQLITE_CONSTRAINT)
        }
    }
}
