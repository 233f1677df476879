import Device
import MattermostModel
import XCTest
@testable import TerminalUI

final class RenderGoldenTests: XCTestCase {
    let small = Size(width: 80, height: 24)
    let medium = Size(width: 120, height: 40)
    let large = Size(width: 160, height: 48)

    func testLogin() {
        var state = Fixtures.app()
        state.phones[0].loginForm.username = "user-1"
        state.phones[0].loginForm.password = "SampleUser@1"
        state.focus = .password
        assertGolden(state, medium, "login-120x40")
        XCTAssertFalse(render(state, medium).text.contains("SampleUser@1"), "the password must never be drawn")
    }

    func testTheLockoutMessageIsShownWhole() {
        var state = Fixtures.app()
        let message = "Your account is locked because of too many failed password attempts. Please reset your password."
        state.phones[0].banner = .loginFailed(message)
        state.phones[0].loginForm.username = "user-1"
        let text = render(state, medium).text
        let phone = text.split(separator: "\n").map { line in String(line.dropFirst(3).prefix(28)) }.joined(separator: " ")
        XCTAssertTrue(phone.replacingOccurrences(of: " +", with: " ", options: .regularExpression).contains(message),
                      "the whole lockout message, not its first three lines:\n\(text)")
    }

    func testChannels() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.focus = .channelList
        assertGolden(state, medium, "channels-120x40")
    }

    func testChannelWithPendingMessages() {
        var phone = Fixtures.loggedIn()
        phone.screen = .channel("c1")
        phone.airplane = true
        phone.connection = .noNetwork
        phone.banner = .noNetwork
        phone.outbox = [
            Fixtures.outbox("x1", "written offline", "pending"),
            Fixtures.outbox("x2", "this one failed", "failed"),
        ]
        var state = Fixtures.app([phone])
        state.focus = .composer
        state.drafts[0] = "still typing"
        assertGolden(state, medium, "channel-pending-120x40")
    }

    func testAirplane() {
        var phone = Fixtures.loggedIn()
        phone.airplane = true
        phone.connection = .noNetwork
        phone.banner = .noNetwork
        var state = Fixtures.app([phone])
        state.focus = .channelList
        assertGolden(state, medium, "airplane-120x40")
        XCTAssertTrue(render(state, medium).text.contains("✈ Airplane"))
        state.ascii = true
        XCTAssertTrue(render(state, medium).text.contains("AIRPLANE"))
    }

    func testConfirmDialog() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.dialog = .confirmRevokeAll(confirmFocused: false)
        assertGolden(state, medium, "confirm-120x40")
        let text = render(state, medium).text.replacingOccurrences(of: "\n", with: " ")
        XCTAssertTrue(text.contains("Revoke all sessions in the system"))
        XCTAssertTrue(text.contains("[ Cancel ]"))
        XCTAssertTrue(text.contains("[ Revoke All Sessions ]"))
    }

    func testPowerOff() {
        var phone = Fixtures.phone()
        phone.phase = .off
        phone.screen = .off
        phone.connection = .off
        var state = Fixtures.app([phone])
        state.focus = .powerButton
        assertGolden(state, medium, "power-off-120x40")
    }

    /// The demo's screens are pictures: no "Power On (F3)", "F8 opens it" or "F4 next" that no key would answer.
    func testTheDemoShowsNoKeyHintsOfTheApp() {
        var off = Fixtures.phone("phone-1")
        off.phase = .off
        off.screen = .off
        off.connection = .off
        var background = Fixtures.loggedIn("phone-2")
        background.visibility = .background
        var state = Fixtures.app([off, background, Fixtures.phone("phone-3"), Fixtures.phone("phone-4"), Fixtures.phone("phone-5")])
        let app = render(state, medium).text
        XCTAssertTrue(app.contains("Power On (F3)") && app.contains("F8 opens it") && app.contains("F4 next"), app)
        state.keyBar = [KeyHint("Space", "Next")]
        let demo = render(state, medium).text
        for hint in ["F3", "F8", "F4", "Power On"] { XCTAssertFalse(demo.contains(hint), "\(hint) in the demo:\n\(demo)") }
        XCTAssertTrue(demo.contains("(powered off)") && demo.contains("(home screen)"), demo)
    }

    /// A post's control characters are shown, not obeyed: a backspace sent to curses moved the cursor back over
    /// the phone's frame and the text after it overwrote the border.
    func testControlCharactersInDataNeverReachTheTerminal() {
        var grid = Grid(Size(width: 12, height: 1))
        let written = grid.put("a\u{8}b\u{1B}[2Jc\u{9B}d\r\ne", x: 0, y: 0)
        XCTAssertEqual(written, 12)
        let cells = (0..<12).map { grid[$0, 0].character }
        XCTAssertEqual(String(cells), "a\u{FFFD}b\u{FFFD}[2Jc\u{FFFD}d e")
        let painted = ANSIPainter.paint(grid, color: false)
        XCTAssertFalse(painted.unicodeScalars.contains { $0 == "\u{8}" || $0 == "\u{9B}" }, painted)
    }

    func testRevokedLoginAt80x24() {
        var phone = Fixtures.phone()
        phone.loginForm.username = "user-1"
        phone.banner = .sessionRevoked
        var state = Fixtures.app([phone])
        state.focus = .password
        assertGolden(state, small, "revoked-80x24")
    }

    func testSmallTerminalShowsTabs() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.focus = .channelList
        assertGolden(state, small, "phones-tab-80x24")
        state.focus = .console
        state.consoleCursor = 0
        assertGolden(state, small, "console-tab-80x24")
    }

    func testLargeTerminalSideBySide() {
        var state = Fixtures.app([Fixtures.loggedIn("phone-1"), Fixtures.phone("phone-2")])
        state.focus = .channelList
        assertGolden(state, large, "two-phones-160x48")
        let text = render(state, large).text
        XCTAssertTrue(text.contains("System Console › Users"))
        XCTAssertTrue(text.contains("Timeline › phone-1"))
    }

    func testResetPasswordDialogShowsOnlyBullets() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.focus = .console
        state.consoleCursor = 2
        assertGolden(state, large, "console-user-selected-160x48")
        var form = ResetPasswordForm(userID: "u1", username: "user-1")
        form.newPassword = "Golden-Passw0rd"
        state.dialog = .resetPassword(form)
        assertGolden(state, large, "reset-password-160x48")
        XCTAssertFalse(render(state, large).text.contains("Golden"))
    }

    func testHelp() {
        var state = Fixtures.app()
        state.dialog = .help
        assertGolden(state, small, "help-80x24")
    }

    func testASCIIFallback() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.ascii = true
        state.focus = .channelList
        let text = render(state, medium).text
        XCTAssertTrue(text.unicodeScalars.allSatisfy { $0.isASCII }, text)
    }

    /// One rule for small terminals: from the minimum (80x24) up the layout works; below it, only the size message.
    func testTheMinimumAndAMediumTerminal() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.focus = .channelList
        assertGolden(state, Layout.minimum, "channels-minimum-80x24")
        assertGolden(state, Size(width: 100, height: 30), "channels-100x30")
        for size in [Size(width: 79, height: 24), Size(width: 80, height: 23), Size(width: 50, height: 30)] {
            let text = render(state, size).text
            XCTAssertTrue(text.contains("at least 80x24"), "\(size.width)x\(size.height):\n\(text)")
            XCTAssertFalse(text.contains("phone-1"), "no half-drawn layout below the minimum at \(size.width)x\(size.height)")
        }
    }

    /// A long network profile never runs into the status bar's clock or power.
    func testTheRadioLabelKeepsClearOfTheClock() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.phones[0].network = .captivePortal
        let bar = render(state, medium).text.split(separator: "\n")[2]
        XCTAssertTrue(bar.contains("14:05 "), String(bar))
        XCTAssertTrue(bar.contains("captive-portal") || bar.contains("captive-port"), String(bar))
        XCTAssertFalse(bar.contains("14:05LTE") || bar.contains("14:05c"), String(bar))
        XCTAssertTrue(bar.contains(" ⏻ ON"), String(bar))
    }

    func testEveryRowFitsAndResizesCleanly() {
        let state = Fixtures.app([Fixtures.loggedIn()])
        for size in [Size(width: 80, height: 24), Size(width: 100, height: 30), Size(width: 200, height: 60), Size(width: 30, height: 10)] {
            let grid = render(state, size)
            XCTAssertEqual(grid.size, size)
            XCTAssertEqual(grid.text.split(separator: "\n", omittingEmptySubsequences: false).count, size.height)
        }
    }
}
