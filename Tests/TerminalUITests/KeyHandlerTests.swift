import Device
import MattermostModel
import XCTest
@testable import TerminalUI

final class KeyHandlerTests: XCTestCase {
    /// Feeds keys one by one, collecting every command.
    func press(_ state: AppState, _ keys: [Key]) -> (AppState, [Command]) { pressKeys(state, keys) }

    func type(_ text: String) -> [Key] { text.map { .character($0) } }

    func testLoginFlowMovesFocusAndSubmits() {
        let start = Fixtures.app()
        XCTAssertEqual(start.focus, .username, "focus starts on the first empty field")
        var (state, commands) = press(start, type("user-1") + [.enter])
        XCTAssertEqual(state.focus, .password)
        XCTAssertEqual(state.phones[0].loginForm.username, "user-1")
        XCTAssertEqual(commands.last, .focusField(phone: 0, .password))
        XCTAssertTrue(commands.contains(.typeUsername(phone: 0, "user-1")))
        (state, commands) = press(state, type("SampleUser@1") + [.enter])
        XCTAssertTrue(commands.contains(.typePassword(phone: 0, "SampleUser@1")))
        XCTAssertEqual(commands.last, .submitLogin(phone: 0))
        XCTAssertFalse(render(state, Size(width: 120, height: 40)).text.contains("SampleUser@1"))
    }

    /// Keys typed after Enter, before the phone's state says it is logging in, are not added to the submitted
    /// password and sent on (a second start typed "user-1" into the prefilled form's password, then the password).
    func testTypingRightAfterSubmitReachesNoField() {
        var state = Fixtures.app()
        state.phones[0].loginForm.username = "user-1"
        state.focus = .password
        let (next, commands) = press(state, type("user-1") + [.enter] + type("SampleUser@1"))
        XCTAssertEqual(commands.last, .submitLogin(phone: 0))
        XCTAssertEqual(next.phones[0].loginForm.password, "")
        XCTAssertFalse(commands.contains(.typePassword(phone: 0, "user-1S")))
    }

    /// A narrow phone cut "https://localhost:8065" to "https://localhost:8~": the port went first.
    func testTheServerLineKeepsHostAndPort() {
        XCTAssertEqual(Canvas.serverLabel("https://localhost:8065"), "localhost:8065 TLS")
        XCTAssertEqual(Canvas.serverLabel("http://127.0.0.1:8065"), "127.0.0.1:8065")
        var phone = Fixtures.phone()
        phone.serverURL = "https://localhost:8065"
        XCTAssertTrue(render(Fixtures.app([phone]), Size(width: 120, height: 40)).text.contains("Server: localhost:8065 TLS"))
    }

    func testPrefilledUsernameFocusesPassword() {
        var phone = Fixtures.phone()
        phone.loginForm.username = "user-1"
        XCTAssertEqual(AppState.defaultFocus(for: phone), .password)
    }

    func testEnterWithEmptyPasswordDoesNotSubmit() {
        var state = Fixtures.app()
        state.phones[0].loginForm.username = "user-1"
        state.focus = .password
        let (_, commands) = press(state, [.enter])
        XCTAssertFalse(commands.contains(.submitLogin(phone: 0)))
    }

    func testLettersAreTypedInsideTextFields() {
        let (state, commands) = press(Fixtures.app(), type("aprntq?"))
        XCTAssertEqual(state.phones[0].loginForm.username, "aprntq?")
        XCTAssertNil(state.dialog)
        XCTAssertFalse(state.quitRequested)
        XCTAssertFalse(commands.contains { if case .setAirplane = $0 { return true } else { return false } })
    }

    func testLettersAreShortcutsOutsideTextFields() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.focus = .channelList
        var (next, commands) = press(state, [.character("a")])
        XCTAssertEqual(commands, [.setAirplane(phone: 0, on: true)])
        (next, commands) = press(state, [.character("t")])
        XCTAssertEqual(commands, [.advanceClock(millis: 60_000)])
        (next, commands) = press(state, [.character("?")])
        XCTAssertEqual(next.dialog, .help)
        (next, commands) = press(state, [.character("q")])
        XCTAssertTrue(next.quitRequested)
        XCTAssertEqual(commands, [.quit])
    }

    func testF7AndLetterFCycleTheFocusedPhonesNetworkProfile() {
        var phone = Fixtures.loggedIn()
        phone.network = .online
        var state = Fixtures.app([phone])
        state.focus = .channelList
        var (next, commands) = press(state, [.function(7)])
        XCTAssertEqual(commands, [.setNetwork(phone: 0, .unreachable)])
        XCTAssertTrue(next.status.contains("unreachable"))
        phone.network = .truncated
        state.phones = [phone]
        (next, commands) = press(state, [.character("f")])
        XCTAssertEqual(commands, [.setNetwork(phone: 0, .online)], "the cycle wraps around")
    }

    func testF5OpensConfirmAndOnlyTabThenEnterRevokes() {
        let state = Fixtures.app([Fixtures.loggedIn()])
        var (next, commands) = press(state, [.function(5)])
        XCTAssertEqual(next.dialog, .confirmRevokeAll(confirmFocused: false))
        XCTAssertTrue(commands.isEmpty, "nothing is revoked before the confirmation")
        (next, commands) = press(next, [.character("y")])
        XCTAssertEqual(next.dialog, .confirmRevokeAll(confirmFocused: false), "no printable key confirms")
        XCTAssertTrue(commands.isEmpty)
        (next, commands) = press(next, [.tab, .enter])
        XCTAssertNil(next.dialog)
        XCTAssertEqual(commands, [.revokeAllSessions])
    }

    func testEnterAloneCancelsRevokeAll() {
        let (next, commands) = press(Fixtures.app([Fixtures.loggedIn()]), [.function(5), .enter])
        XCTAssertNil(next.dialog)
        XCTAssertTrue(commands.isEmpty)
    }

    /// A careless user's word: focus has left the login fields, and "ray" must neither toggle the radio nor revoke.
    func testTypedWordsOnALoginScreenNeverAct() {
        var state = Fixtures.app([Fixtures.phone()])
        state.focus = .loginButton
        for word in ["ray", "yes", "pahqfmtn", "RAY"] {
            let (next, commands) = press(state, word.map { Key.character($0) })
            XCTAssertTrue(commands.isEmpty, "\(word) acted: \(commands)")
            XCTAssertNil(next.dialog, "\(word) opened a dialog")
        }
        state.focus = .console
        let (next, commands) = press(state, "ray".map { Key.character($0) })
        XCTAssertTrue(commands.isEmpty, "from the console pane, with the login screen in front")
        XCTAssertNil(next.dialog)
    }

    /// No sequence of printable keys confirms Revoke All, even where letter shortcuts act (the channel list).
    func testNoPrintableSequenceRevokes() {
        let state = Fixtures.app([Fixtures.loggedIn()])
        var generator = SystemRandomNumberGenerator()
        let printable = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ?!-_.")
        for _ in 0..<200 {
            let keys = (0..<12).map { _ in Key.character(printable.randomElement(using: &generator) ?? "r") }
            let (_, commands) = press(state, keys)
            XCTAssertFalse(commands.contains(.revokeAllSessions), "\(keys) revoked every session")
        }
    }

    func testConfirmCancelsWithNAndEscape() {
        let state = Fixtures.app([Fixtures.loggedIn()])
        for cancel in [Key.character("n"), .escape, .enter] {
            let (next, commands) = press(state, [.function(5), cancel])
            XCTAssertNil(next.dialog, "\(cancel)")
            XCTAssertTrue(commands.isEmpty, "\(cancel)")
        }
        // Typing y into the username field is not a confirmation: the dialog is not open.
        let (_, typed) = press(Fixtures.app(), [.character("y")])
        XCTAssertFalse(typed.contains(.revokeAllSessions))
    }

    func testConfirmButtonsByTabAndEnter() {
        let (next, commands) = press(Fixtures.app(), [.function(5), .tab, .enter])
        XCTAssertNil(next.dialog)
        XCTAssertEqual(commands, [.revokeAllSessions])
    }

    func testFunctionKeysWorkInsideTextFields() {
        let (state, commands) = press(Fixtures.app(), [.function(2), .function(6), .function(3)])
        XCTAssertEqual(commands, [.setAirplane(phone: 0, on: true), .advanceClock(millis: 60_000), .setPower(phone: 0, on: false)])
        XCTAssertEqual(state.phones[0].loginForm.username, "")
    }

    func testQuitKeys() {
        for key in [Key.function(10), .controlC] {
            let (state, commands) = press(Fixtures.app(), [key])
            XCTAssertTrue(state.quitRequested)
            XCTAssertEqual(commands, [.quit])
        }
    }

    func testTabCyclesThroughFieldsAndPanes() {
        let (state, _) = press(Fixtures.app(), [.tab, .tab, .tab])
        XCTAssertEqual(state.focus, .console)
        XCTAssertEqual(state.pane, .console)
        let (back, _) = press(state, [.tab, .tab])
        XCTAssertEqual(back.focus, .username)
    }

    func testChannelListOpensAndEscapeGoesBack() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.focus = .channelList
        var (next, commands) = press(state, [.down, .enter])
        XCTAssertEqual(commands, [.openChannel(phone: 0, channelID: "c2")])
        next.phones[0].screen = .channel("c2")
        next.focus = .composer
        (next, commands) = press(next, type("hi") + [.enter])
        XCTAssertEqual(commands, [.compose(phone: 0, channelID: "c2", text: "hi")])
        XCTAssertEqual(next.drafts[0], "")
        (next, commands) = press(next, [.escape])
        XCTAssertEqual(commands, [.back(phone: 0)])
    }

    func testF4CyclesPhones() {
        let state = Fixtures.app([Fixtures.phone("phone-1"), Fixtures.phone("phone-2")])
        let (next, _) = press(state, [.function(4)])
        XCTAssertEqual(next.focusedPhone, 1)
        let (wrapped, _) = press(next, [.function(4)])
        XCTAssertEqual(wrapped.focusedPhone, 0)
    }

    func testPendingTypingIsNotOverwrittenByAnOlderPhoneState() {
        var (state, _) = press(Fixtures.app(), type("user"))
        var older = state.phones[0]
        older.loginForm.username = "u"
        state.update(phone: 0, to: older)
        XCTAssertEqual(state.phones[0].loginForm.username, "user")
        for _ in 0..<4 { state.typingApplied(phone: 0) }
        state.update(phone: 0, to: older)
        XCTAssertEqual(state.phones[0].loginForm.username, "u")
    }

    func testScreenChangeMovesFocus() {
        var state = Fixtures.app()
        state.update(phone: 0, to: Fixtures.loggedIn())
        XCTAssertEqual(state.focus, .channelList)
        var revoked = Fixtures.phone()
        revoked.loginForm.username = "user-1"
        revoked.banner = .sessionRevoked
        state.update(phone: 0, to: revoked)
        XCTAssertEqual(state.focus, .password)
    }

    func testClicksUseRenderedHitRectangles() {
        let state = Fixtures.app([Fixtures.loggedIn()])
        let frame = renderFrame(state, Size(width: 120, height: 40))
        guard let revoke = frame.hits.first(where: { $0.action == .revokeAll }) else { return XCTFail("no Revoke All hit") }
        XCTAssertEqual(frame.hit(x: revoke.rect.x, y: revoke.rect.y), .revokeAll)
        let (next, _) = press(state, [.click(.revokeAll)])
        XCTAssertEqual(next.dialog, .confirmRevokeAll(confirmFocused: false))
        let (confirmed, commands) = press(next, [.click(.confirm)])
        XCTAssertNil(confirmed.dialog)
        XCTAssertEqual(commands, [.revokeAllSessions])
    }

    // MARK: Reset password (clears a lockout)

    /// The console focused on user-1's row (row 0 is Revoke All Sessions, row 1 sysadmin, row 2 user-1).
    func consoleOnUser1() -> AppState {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.focus = .console
        state.consoleCursor = 2
        return state
    }

    func testUOnAUserRowOpensResetPasswordAndEnterSendsIt() {
        var (state, commands) = press(consoleOnUser1(), [.character("u")])
        XCTAssertEqual(state.dialog, .resetPassword(ResetPasswordForm(userID: "u1", username: "user-1")))
        XCTAssertEqual(commands, [])
        // Letters that are shortcuts elsewhere (q quits, a airplane, r revoke) are typed into the field.
        (state, commands) = press(state, type("qar-Secret1") + [.backspace, .character("2")])
        XCTAssertEqual(commands, [], "nothing is sent while typing")
        XCTAssertFalse(state.quitRequested)
        let screen = render(state, Size(width: 120, height: 40)).text
        XCTAssertFalse(screen.contains("qar-Secret"), "the password is never drawn")
        XCTAssertTrue(screen.contains("New password: " + String(repeating: "•", count: 11)), "one bullet per character")
        (state, commands) = press(state, [.enter])
        XCTAssertNil(state.dialog)
        XCTAssertEqual(commands, [.resetPassword(userID: "u1", newPassword: "qar-Secret2")])
        XCTAssertEqual(state.status, "resetting the password of user-1")
        XCTAssertFalse(state.status.contains("Secret"))
    }

    func testResetPasswordCancelsWithEscapeAndIgnoresAnEmptyEnter() {
        var (state, commands) = press(consoleOnUser1(), [.character("U"), .enter])
        XCTAssertNotNil(state.dialog, "an empty password is not sent")
        XCTAssertEqual(commands, [])
        (state, commands) = press(state, type("abc") + [.escape])
        XCTAssertNil(state.dialog)
        XCTAssertEqual(commands, [])
        XCTAssertEqual(state.status, "Reset password: cancelled")
    }

    func testUOnTheRevokeAllRowOnlyExplains() {
        var state = consoleOnUser1()
        state.consoleCursor = 0
        let (next, commands) = press(state, [.character("u")])
        XCTAssertNil(next.dialog)
        XCTAssertEqual(commands, [])
        XCTAssertTrue(next.status.contains("select a user"))
    }

    func testResetPasswordByMouse() {
        let state = consoleOnUser1()
        let frame = renderFrame(state, Size(width: 120, height: 40))
        guard let button = frame.hits.first(where: { $0.action == .resetPassword(index: 1) }) else {
            return XCTFail("no Reset password button under the table")
        }
        XCTAssertEqual(frame.hit(x: button.rect.x, y: button.rect.y), .resetPassword(index: 1))
        var (next, commands) = press(state, [.click(.resetPassword(index: 1))] + type("Click-Passw0rd"))
        XCTAssertEqual(next.consoleCursor, 2)
        (next, commands) = press(next, [.click(.confirm)])
        XCTAssertNil(next.dialog)
        XCTAssertEqual(commands, [.resetPassword(userID: "u1", newPassword: "Click-Passw0rd")])
    }
}

final class TimelineKeysTests: XCTestCase {
    func press(_ state: AppState, _ keys: [Key]) -> (AppState, [Command]) { pressKeys(state, keys) }

    func testPageUpScrollsTheTimelineAndEndFollowsAgain() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        for index in 0..<200 { state.phones[0].timeline.append(.decision, "entry \(index)", at: Fixtures.now + Int64(index)) }
        var (next, _) = press(state, [.pageUp, .pageUp])
        XCTAssertEqual(next.timelineScroll, 20)
        let scrolled = render(next, Size(width: 120, height: 40)).text
        XCTAssertFalse(scrolled.contains("entry 199"), "the newest is scrolled out of view")
        XCTAssertTrue(scrolled.contains("newer lines below"))
        next.focus = .timeline
        (next, _) = press(next, [.end])
        XCTAssertEqual(next.timelineScroll, 0)
        XCTAssertTrue(render(next, Size(width: 120, height: 40)).text.contains("entry 199"))
    }

    /// Enter on a user's row asks first, as Revoke All Sessions does (a careless Enter revoked at once).
    func testAUsersRevokeAsksFirst() throws {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.console.users = [ConsoleView.Row(userID: "u1", username: "user-1", sessionCount: 1)]
        state.focus = .console
        state.consoleCursor = 1
        var (next, commands) = press(state, [.enter])
        XCTAssertEqual(next.dialog, .confirmRevokeUser(userID: "u1", username: "user-1", confirmFocused: false))
        XCTAssertEqual(commands, [], "nothing revoked yet")
        XCTAssertTrue(render(next, Size(width: 120, height: 40)).text.contains("Revoke Sessions for user-1"))
        (next, commands) = press(next, [.character("y"), .enter])
        XCTAssertNil(next.dialog)
        XCTAssertEqual(commands, [], "no printable key confirms; Enter on Cancel cancels")
        (next, commands) = press(state, [.enter, .tab, .enter])
        XCTAssertEqual(commands, [.revokeSessions(userID: "u1")])
        XCTAssertEqual(next.status, "revoking the sessions of user-1")
    }

    func testWSavesTheTimelinesAndLLogsOutFromTheChannelList() {
        var state = Fixtures.app([Fixtures.loggedIn()])
        state.timelineFolder = "/tmp/mmsim-timelines"
        state.focus = .channelList
        let (next, commands) = press(state, [.character("w"), .character("l")])
        XCTAssertEqual(commands, [.saveTimelines, .logout(phone: 0)])
        XCTAssertEqual(next.status, "phone-1: logging out")
        let (saving, _) = press(state, [.character("w")])
        XCTAssertEqual(saving.status, "saving timelines to /tmp/mmsim-timelines…", "not 'saved' before it is")
    }
}

/// Keys in order through the pure handler: the state after the last, and every command on the way.
func pressKeys(_ state: AppState, _ keys: [Key]) -> (AppState, [Command]) {
    var state = state
    var all: [Command] = []
    for key in keys {
        let (next, commands) = handle(state, key)
        state = next
        all += commands
    }
    return (state, all)
}
