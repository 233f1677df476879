import Foundation
import MMSimTestSupport
import XCTest

/// MM-T941 through the real binary in a real terminal (tmux): what a tester sees is what is checked.
final class EndToEndTests: XCTestCase {
    static let password = "SampleUser@1"

    func testRevokeAllSessionsWhileInAirplaneModeShowsLoginAfterReconnect() throws {
        let tmux = try Self.launchApp("--ephemeral")
        defer { tmux.kill() }

        try tmux.wait(for: "Log in to your account", timeout: 60)
        tmux.type("user-1")
        tmux.key("Enter")
        tmux.type(Self.password)
        tmux.key("Enter")
        try tmux.wait(for: "Town Square", timeout: 30)
        try tmux.wait(for: "live", timeout: 30)

        try tmux.revokeAllWhileInAirplaneMode()
        let afterRevoke = tmux.capture()
        XCTAssertTrue(afterRevoke.contains("Town Square"), "the offline phone keeps its cached channels:\n\(afterRevoke)")
        XCTAssertFalse(afterRevoke.contains("Log in to your account"), "the phone cannot know yet:\n\(afterRevoke)")

        for _ in 0..<3 { tmux.key("F6") }
        try tmux.wait(for: "(+3 min)", timeout: 10)

        tmux.key("F2")
        try tmux.wait(for: "Log in to your account", timeout: 60)
        try tmux.wait(for: "Your session has expired or was revoked. Please log in again.", timeout: 30)

        XCTAssertFalse(tmux.everSeen(Self.password), "the password was visible on screen")
        tmux.key("F10")
        try tmux.waitForExit(timeout: 20)
    }

    /// Issue #6: ten wrong passwords lock the account; System Console › Reset password clears the lockout.
    func testResetPasswordInTheConsoleClearsALoginLockout() throws {
        let tmux = try Self.launchApp("--ephemeral --port 0")
        defer { tmux.kill() }

        try tmux.wait(for: "Log in to your account", timeout: 60)
        tmux.type("user-1")
        tmux.key("Enter")
        for attempt in 1...11 {
            tmux.type("wrong-\(attempt)")
            try tmux.wait(for: String(repeating: "•", count: "wrong-\(attempt)".count), timeout: 10)
            tmux.key("Enter")
            // Answered: the field was emptied by the submit and the button is back from "Logging in…" (before the
            // submit the field still shows the bullets, so this cannot match early).
            try tmux.wait(until: { $0.contains("[ Log In ]") && !$0.contains("•") }, "attempt \(attempt) answered",
                          timeout: 20)
        }
        try tmux.wait(for: "reset your password.", timeout: 20)
        XCTAssertTrue(tmux.capture().contains("Your account is locked"), "the phone says why")

        tmux.key("Escape")
        tmux.type("2")
        tmux.key("Down")
        tmux.key("Down")
        try tmux.wait(for: "user-1 (u)", timeout: 10)
        tmux.type("u")
        try tmux.wait(for: "Set a new password for user-1", timeout: 10)
        let newPassword = "Fresh-\(UUID().uuidString.prefix(8))"
        tmux.type(newPassword)
        tmux.key("Enter")
        try tmux.wait(for: "reset the password of user-1", timeout: 20)

        tmux.type("1")
        tmux.type(newPassword)
        tmux.key("Enter")
        try tmux.wait(for: "Town Square", timeout: 30)
        XCTAssertFalse(tmux.everSeen(newPassword), "the new password was visible on screen")
        tmux.key("F10")
        try tmux.waitForExit(timeout: 20)
    }

    /// `w` says whether the files were written: a data folder whose `timelines` is a file cannot take them, and
    /// the screen must say so rather than "saved".
    func testWSaysWhenTheTimelinesCouldNotBeSaved() throws {
        let folder = BuiltBinary.temporaryFolder("timelines-blocked")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("in the way\n".utf8).write(to: folder.appendingPathComponent("timelines"))
        let tmux = try Self.launchApp("--data \(folder.path) --port 0")
        defer { tmux.kill() }

        try tmux.wait(for: "Log in to your account", timeout: 60)
        tmux.key("F3")  // a dark phone: letters are keys
        try tmux.wait(for: "(powered off)", timeout: 10)
        tmux.type("w")
        try tmux.wait(for: "timelines NOT saved", timeout: 20)
        XCTAssertFalse(tmux.everSeen("timelines saved to"), "it never claimed a save that did not happen")
        tmux.key("F10")
        try tmux.waitForExit(timeout: 20)
    }

    /// A --server that is not there is said before the app asks for its admin's password.
    func testAnUnreachableServerIsSaidBeforeThePasswordPrompt() throws {
        let binary = try BuiltBinary.requireBuilt().path
        let tmux = try Tmux.launch("env -u MMSIM_ADMIN_PASSWORD \(binary) --ephemeral --server http://127.0.0.1:1; echo APP-EXIT=$?")
        defer { tmux.kill() }
        try tmux.wait(for: "APP-EXIT=2", timeout: 30)
        XCTAssertFalse(tmux.everSeen("Password of"), tmux.capture())
        XCTAssertTrue(tmux.capture().contains("127.0.0.1:1"), tmux.capture())
    }

    static func launchApp(_ arguments: String) throws -> Tmux {
        try Tmux.launch("\(try BuiltBinary.requireBuilt().path) \(arguments)")
    }
}
