import EmbeddedServer
import Foundation
import Logging
import MattermostModel
import NIOHTTP1
import XCTest

/// `PUT /users/{user_id}/password`: System Console › Reset password, which is how an admin clears a lockout.
final class PasswordTests: ServerTestCase {
    static let newPassword = "Fresh-Passw0rd"
    static let lockedID = "api.user.check_user_login_attempts.too_many.app_error"

    func put(_ server: TestServer, _ userID: String, _ body: UpdatePasswordRequest, token: String?) async throws -> TestResponse {
        try await server.request(.PUT, APIPath.password(userID), token: token, body: try JSONEncoder().encode(body))
    }

    func login(_ server: TestServer, _ user: String, _ password: String) async throws -> TestResponse {
        try await server.post(APIPath.login, LoginRequest(loginID: user, password: password))
    }

    func lockOut(_ server: TestServer, _ user: String) async throws {
        for _ in 0..<10 { _ = try await login(server, user, "wrong-password") }
        let locked = try await login(server, user, SeedAccounts.userPassword)
        XCTAssertEqual(try locked.appError().id, Self.lockedID, "precondition: \(user) is locked out")
    }

    func testAdminResetClearsTheLockoutAndEndsTheUsersSessions() async throws {
        let server = try server
        let phone = try await server.login("user-1", deviceID: "phone-1")
        try await lockOut(server, "user-1")
        let admin = try await server.login("sysadmin")

        let reset = try await put(server, phone.user.id, UpdatePasswordRequest(newPassword: Self.newPassword), token: admin.token)
        XCTAssertEqual(reset.status, 200)
        XCTAssertEqual(try reset.decode(StatusOK.self).status, "OK")

        let phoneAfterReset = try await server.me(phone.token).status
        XCTAssertEqual(phoneAfterReset, 401, "TerminateSessionsOnPasswordChange ends the user's sessions")
        let adminAfterReset = try await server.me(admin.token).status
        XCTAssertEqual(adminAfterReset, 200, "the admin's own session stays")
        let old = try await login(server, "user-1", SeedAccounts.userPassword)
        XCTAssertEqual(try old.appError().id, ErrorID.invalidCredentials, "no longer locked: just the wrong password")
        let loginWithNew = try await login(server, "user-1", Self.newPassword).status
        XCTAssertEqual(loginWithNew, 200)
    }

    func testEvenAnAdminGivesTheCurrentPasswordForTheirOwn() async throws {
        let server = try server
        let admin = try await server.login("sysadmin")
        let me = try await put(server, "me", UpdatePasswordRequest(newPassword: Self.newPassword), token: admin.token)
        XCTAssertEqual(me.status, 400, "for one's own password, even an admin gives the current one")
        XCTAssertEqual(try me.appError().message, "Invalid or missing current_password in request body.")
    }

    func testChangingOnesOwnPasswordNeedsTheCurrentOneAndKeepsThisSession() async throws {
        let server = try server
        let phone = try await server.login("user-1", deviceID: "phone-1")
        let tablet = try await server.login("user-1", deviceID: "tablet-1")

        let missing = try await put(server, "me", UpdatePasswordRequest(newPassword: Self.newPassword), token: phone.token)
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(try missing.appError().id, ErrorID.invalidParam)

        let wrong = try await put(server, "me", UpdatePasswordRequest(newPassword: Self.newPassword, currentPassword: "not-it"),
                                  token: phone.token)
        XCTAssertEqual(wrong.status, 400)
        XCTAssertEqual(try wrong.appError().id, "api.user.update_password.incorrect.app_error")

        let done = try await put(server, phone.user.id,
                                 UpdatePasswordRequest(newPassword: Self.newPassword, currentPassword: SeedAccounts.userPassword),
                                 token: phone.token)
        XCTAssertEqual(done.status, 200)
        let thisSession = try await server.me(phone.token).status
        XCTAssertEqual(thisSession, 200, "the session that changed it stays")
        let otherSession = try await server.me(tablet.token).status
        XCTAssertEqual(otherSession, 401, "every other session of the user ends")
        let loginWithNewPassword = try await login(server, "user-1", Self.newPassword).status
        XCTAssertEqual(loginWithNewPassword, 200)
    }

    func testWrongCurrentPasswordsCountTowardsTheLockout() async throws {
        let server = try server
        let phone = try await server.login("user-1")
        for _ in 0..<10 {
            _ = try await put(server, "me", UpdatePasswordRequest(newPassword: Self.newPassword, currentPassword: "not-it"),
                              token: phone.token)
        }
        let locked = try await put(server, "me", UpdatePasswordRequest(newPassword: Self.newPassword,
                                                                       currentPassword: SeedAccounts.userPassword),
                                   token: phone.token)
        XCTAssertEqual(locked.status, 401, "DoubleCheckPassword checks the lockout first")
        XCTAssertEqual(try locked.appError().id, Self.lockedID)
        let lockedLogin = try await login(server, "user-1", SeedAccounts.userPassword).status
        XCTAssertEqual(lockedLogin, 401)
    }

    /// As at login: of 60 wrong current passwords sent at once, exactly 10 are checked; the rest find the lock.
    func testConcurrentWrongCurrentPasswordsCannotOutrunTheLockout() async throws {
        let server = try server
        let phone = try await server.login("user-1")
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<60 {
                group.addTask {
                    let body = try JSONEncoder().encode(UpdatePasswordRequest(newPassword: "Fresh-Passw0rd",
                                                                              currentPassword: "not-it"))
                    let response = try await server.request(.PUT, APIPath.password("me"), token: phone.token, body: body)
                    return try response.appError().id
                }
            }
            var counts: [String: Int] = [:]
            for try await id in group { counts[id, default: 0] += 1 }
            return counts
        }
        XCTAssertEqual(ids, ["api.user.update_password.incorrect.app_error": 10, Self.lockedID: 50])
    }

    func testSomeoneElsesPasswordIsForbiddenToNonAdmins() async throws {
        let server = try server
        let other = try await server.login("user-2")
        let caller = try await server.login("user-1")
        let response = try await put(server, other.user.id, UpdatePasswordRequest(newPassword: Self.newPassword),
                                     token: caller.token)
        XCTAssertEqual(response.status, 403)
        XCTAssertEqual(try response.appError().id, "api.user.update_password.context.app_error")
        let otherUsersLogin = try await login(server, "user-2", SeedAccounts.userPassword).status
        XCTAssertEqual(otherUsersLogin, 200, "unchanged")
    }

    /// Mattermost's handler only finds "may update" through the target user, so an unknown one is a 403.
    func testAnUnknownUserIsForbiddenAndAMalformedIDIsABadRequest() async throws {
        let server = try server
        let admin = try await server.login("sysadmin")
        let unknown = try await put(server, MattermostID.new(), UpdatePasswordRequest(newPassword: Self.newPassword),
                                    token: admin.token)
        XCTAssertEqual(unknown.status, 403)
        XCTAssertEqual(try unknown.appError().id, "api.user.update_password.context.app_error")
        let malformed = try await put(server, "not-an-id", UpdatePasswordRequest(newPassword: Self.newPassword), token: admin.token)
        XCTAssertEqual(malformed.status, 400)
        XCTAssertEqual(try malformed.appError().id, ErrorID.invalidURLParam)
    }

    func testATooShortPasswordIsRefusedAndLeavesTheLockout() async throws {
        let server = try server
        let user = try await server.login("user-1")
        try await lockOut(server, "user-1")
        let admin = try await server.login("sysadmin")
        let short = try await put(server, user.user.id, UpdatePasswordRequest(newPassword: "Short1!"), token: admin.token)
        XCTAssertEqual(short.status, 400)
        XCTAssertEqual(try short.appError().id, "model.user.is_valid.pwd_min_length.app_error")
        let long = try await put(server, user.user.id, UpdatePasswordRequest(newPassword: String(repeating: "x", count: 73)),
                                 token: admin.token)
        XCTAssertEqual(try long.appError().id, "model.user.is_valid.pwd_max_length.app_error")
        let missing = try await server.request(.PUT, APIPath.password(user.user.id), token: admin.token, body: Data("{}".utf8))
        XCTAssertEqual(try missing.appError().id, "model.user.is_valid.pwd_min_length.app_error",
                       "a missing new_password reads as empty, as Mattermost's MapFromJSON does")
        let still = try await login(server, "user-1", SeedAccounts.userPassword)
        XCTAssertEqual(try still.appError().id, Self.lockedID, "a refused reset changes nothing")
    }

    /// bcrypt here stops at a NUL and at 72 bytes: no password may match another that way.
    func testNULAndBytesPastSeventyTwoNeverMatchAShorterPassword() async throws {
        let server = try server
        let user = try await server.login("user-1")
        let admin = try await server.login("sysadmin")
        for (login, password) in [("user-1", SeedAccounts.userPassword + "\u{0}anything"),
                                  ("user-1\u{0}", SeedAccounts.userPassword),
                                  ("user-1\u{0}x", SeedAccounts.userPassword)] {
            let response = try await self.login(server, login, password)
            XCTAssertEqual(response.status, 401, login.debugDescription)
            XCTAssertEqual(try response.appError().id, ErrorID.invalidCredentials)
        }
        let nul = try await put(server, user.user.id, UpdatePasswordRequest(newPassword: "abc\u{0}defgh-123"), token: admin.token)
        XCTAssertEqual(nul.status, 400)
        XCTAssertEqual(try nul.appError().id, ErrorID.invalidParam)

        let seventyTwo = String(repeating: "A", count: 72)
        let set = try await put(server, user.user.id, UpdatePasswordRequest(newPassword: seventyTwo), token: admin.token)
        XCTAssertEqual(set.status, 200)
        let longer = try await self.login(server, "user-1", seventyTwo + "B")
        XCTAssertEqual(longer.status, 401)
        XCTAssertEqual(try longer.appError().id, ErrorID.invalidCredentials)
        let exact = try await self.login(server, "user-1", seventyTwo).status
        XCTAssertEqual(exact, 200)
    }

    func testGarbageBodiesAndMissingSessionsGetAppErrors() async throws {
        let server = try server
        let admin = try await server.login("sysadmin")
        let user = try await server.login("user-1")
        for body in ["not json", "[1,2]", #"{"new_password": 12345678}"#, ""] {
            let response = try await server.request(.PUT, APIPath.password(user.user.id), token: admin.token, body: Data(body.utf8))
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(try response.appError().id, ErrorID.invalidParam, body)
        }
        let anonymous = try await put(server, user.user.id, UpdatePasswordRequest(newPassword: Self.newPassword), token: nil)
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertEqual(try anonymous.appError().id, ErrorID.sessionExpired)
    }

    func testThePasswordNeverReachesTheLog() async throws {
        let lines = CapturedLog()
        let clock = SimClock(mode: .virtual, startMillis: 1_700_000_000_000)
        var logger = Logger(label: "test.server") { _ in CapturingHandler(lines: lines) }
        logger.logLevel = .trace
        let started = try await EmbeddedServer.start(ServerConfiguration(port: 0, bcryptCost: 4, clock: clock), logger: logger)
        let server = TestServer(server: started, clock: clock)
        let admin = try await server.login("sysadmin")
        let user = try await server.login("user-1")
        let secret = "Never-Logged-7741"
        let resetStatus = try await put(server, user.user.id, UpdatePasswordRequest(newPassword: secret), token: admin.token).status
        XCTAssertEqual(resetStatus, 200)
        _ = try await put(server, "me", UpdatePasswordRequest(newPassword: "x", currentPassword: secret), token: admin.token)
        _ = try await server.request(.PUT, APIPath.password(user.user.id), token: admin.token,
                                     body: Data(#"{"new_password": "\#(secret)", "#.utf8))
        let text = lines.all.joined(separator: "\n")
        XCTAssertTrue(text.contains("password reset by an admin"), "the reset is logged (without the password)")
        XCTAssertFalse(text.contains(secret))
        XCTAssertFalse(text.contains(SeedAccounts.userPassword))
        await started.stop()
    }
}

/// Log lines with their metadata, as one string each.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

struct CapturingHandler: LogHandler {
    let lines: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.level) \(event.message) \(all) \(event.error.map { "\($0)" } ?? "")")
    }
}
