import EmbeddedServer
import Foundation
import MattermostClient
import XCTest

/// MaximumLoginAttempts: after 10 wrong passwords even the right one is refused with Mattermost's error id,
/// until an admin clears the lockout (in process, or `mmsim unlock` on a stopped server's folder).
final class LoginLockoutTests: XCTestCase {
    static let lockedID = "api.user.check_user_login_attempts.too_many.app_error"

    func lockOut(_ api: MattermostAPI) async {
        for _ in 0..<10 {
            do {
                _ = try await api.login(loginID: "user-1", password: "wrong-password", deviceID: nil)
                XCTFail("a wrong password logged in")
            } catch {
                XCTAssertEqual(error.appError?.id, "api.user.login.invalid_credentials_email_username")
            }
        }
    }

    func assertLocked(_ api: MattermostAPI, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await api.login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil)
            XCTFail("a locked account logged in", file: file, line: line)
        } catch {
            XCTAssertEqual(error.status, 401, file: file, line: line)
            XCTAssertEqual(error.appError?.id, Self.lockedID, file: file, line: line)
        }
    }

    func testTenWrongPasswordsLockTheAccountUntilUnlocked() async throws {
        let server = try await EmbeddedServer.start(ServerConfiguration(port: 0, bcryptCost: 4))
        let api = MattermostAPI(baseURL: server.baseURL)
        await lockOut(api)
        await assertLocked(api)
        let other = try await api.login(loginID: "user-2", password: SeedAccounts.userPassword, deviceID: nil)
        XCTAssertFalse(other.token.isEmpty, "only that account is locked")
        let unlocked = try await server.unlock(username: "user-1")
        XCTAssertTrue(unlocked)
        _ = try await api.login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil)
        await server.stop()
    }

    func testAGoodLoginResetsTheCount() async throws {
        let server = try await EmbeddedServer.start(ServerConfiguration(port: 0, bcryptCost: 4))
        let api = MattermostAPI(baseURL: server.baseURL)
        for _ in 0..<9 { _ = try? await api.login(loginID: "user-1", password: "nope", deviceID: nil) }
        _ = try await api.login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil)
        for _ in 0..<9 { _ = try? await api.login(loginID: "user-1", password: "nope", deviceID: nil) }
        _ = try await api.login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil)
        await server.stop()
    }

    func testUnlockCommandOnAStoppedServersFolder() async throws {
        let data = Binary.temporaryFolder("unlock")
        defer { try? FileManager.default.removeItem(at: data) }
        var server = try await EmbeddedServer.start(ServerConfiguration(port: 0, dataDirectory: data, bcryptCost: 4))
        await lockOut(MattermostAPI(baseURL: server.baseURL))
        await server.stop()

        let missing = try Binary.run(["unlock", "nobody-here", "--data", data.path])
        XCTAssertEqual(missing.status, 2, "an unknown user is bad input: \(missing.stderr)")
        let out = try Binary.run(["unlock", "user-1", "--data", data.path])
        XCTAssertEqual(out.status, 0, out.stderr)

        server = try await EmbeddedServer.start(ServerConfiguration(port: 0, dataDirectory: data, bcryptCost: 4))
        _ = try await MattermostAPI(baseURL: server.baseURL).login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil)
        await server.stop()
    }
}
