import EmbeddedServer
import Foundation
import MattermostModel
import XCTest

/// Start, stop, data folder and port handling.
final class LifecycleTests: XCTestCase {
    func testDataFolderPersistsAndIsLocked() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = ServerConfiguration(port: 0, dataDirectory: folder, bcryptCost: 4,
                                         clock: SimClock(mode: .virtual))
        let first = try await EmbeddedServer.start(config)
        let id = try await first.ensureUser(username: "user-9").id
        XCTAssertTrue(DataFolderLock.isLocked(folder))
        do {
            _ = try await EmbeddedServer.start(config)
            XCTFail("a second server on the same folder must be refused")
        } catch EmbeddedServerError.dataFolderInUse {}
        await first.stop()
        XCTAssertFalse(DataFolderLock.isLocked(folder))

        let second = try await EmbeddedServer.start(config)
        let again = try await second.ensureUser(username: "user-9").id
        XCTAssertEqual(again, id, "data survived the restart")
        await second.stop()
    }

    func testPortInUseIsReported() async throws {
        let first = try await EmbeddedServer.start(ServerConfiguration(port: 0, bcryptCost: 4))
        do {
            let second = try await EmbeddedServer.start(ServerConfiguration(port: first.port, bcryptCost: 4))
            await second.stop()
            XCTFail("the port is taken")
        } catch EmbeddedServerError.portInUse(_, let port) {
            XCTAssertEqual(port, first.port)
        }
        await first.stop()
    }

    func testEnsureUserRejectsInvalidNames() async throws {
        let server = try await TestServer.start()
        for name in ["", "x", "9lives", "has space", String(repeating: "a", count: 23)] {
            do {
                _ = try await server.server.ensureUser(username: name)
                XCTFail("accepted \(name)")
            } catch EmbeddedServerError.invalidUsername {}
        }
        await server.stop()
    }

    func testSeedAccountsArePublished() {
        XCTAssertEqual(SeedAccounts.all.map(\.username), ["sysadmin", "user-1", "user-2", "user-3"])
    }
}
