import Foundation
import MMSimTestSupport
import XCTest

/// `mmsim demo` as a presenter drives it, through the real binary in tmux.
final class DemoEndToEndTests: XCTestCase {
    func testStepModeIgnoresFunctionKeysAdvancesOnEnterAndCtrlCRestoresTheTerminal() throws {
        let binary = try BuiltBinary.requireBuilt().path
        let tmux = try Tmux.launch("\(binary) demo --step \(BuiltBinary.root.path)/demo/MM-T941.yaml; echo DEMO-EXIT=$?; tput cnorm 2>/dev/null; echo")
        defer { tmux.kill() }
        try tmux.wait(for: "14 steps · Space, Enter or → next step", timeout: 60)
        XCTAssertTrue(tmux.capture().contains("SpaceNext"), "the bar shows the demo's own keys:\n\(tmux.capture())")
        XCTAssertFalse(tmux.capture().contains("F5Revoke"))
        // F2 arrives as ESC O Q: its Q must not quit; F5 and letters do nothing either.
        for key in ["F2", "F5", "F10", "x"] { tmux.key(key) }
        tmux.key("Enter")
        try tmux.wait(for: "A phone with the Mattermost app", timeout: 20)
        XCTAssertFalse(tmux.everSeen("DEMO-EXIT"), "a function key ended the demo")
        tmux.key("Enter")
        try tmux.wait(for: "user-1 logs in, as a person would", timeout: 20)
        tmux.key("C-c")
        try tmux.wait(for: "demo stopped", timeout: 20)
        try tmux.wait(for: "DEMO-EXIT=0", timeout: 20)
    }

    /// Two phones below 144 columns are shown one pane at a time: 1 2 3 show the phones, the System Console and
    /// the timeline (the audience never saw the 401), and the bar carries the demo's keys, not the app's field hints.
    func testPaneKeysShowTheConsoleAndTimelineOfANarrowTwoPhoneDemo() throws {
        let binary = try BuiltBinary.requireBuilt().path
        let tmux = try Tmux.launch("\(binary) demo --step \(BuiltBinary.root.path)/demo/MM-T941-real-app.yaml; echo DEMO-EXIT=$?",
                                   width: 120, height: 36)
        defer { tmux.kill() }
        try tmux.wait(for: "1 2 3Panes", timeout: 60)
        tmux.key("Enter")
        tmux.key("3")
        try tmux.wait(for: "Timeline › reference", timeout: 20)
        tmux.key("2")
        try tmux.wait(for: "System Console › Users", timeout: 20)
        tmux.key("1")
        try tmux.wait(for: "real-app", timeout: 20)
        XCTAssertFalse(tmux.everSeen("Tab next field"), "the app's field hints are not the demo's keys")
        XCTAssertFalse(tmux.everSeen("DEMO-EXIT"), "a pane key ended the demo")
        tmux.key("q")
        try tmux.wait(for: "DEMO-EXIT=0", timeout: 20)
    }

    /// On a timer a presenter can still skip ahead: Enter, → and `n` cut each screen short (at --pace 60 each of
    /// these steps would otherwise hold a minute).
    func testSkipKeysMoveATimedDemoOn() throws {
        let binary = try BuiltBinary.requireBuilt().path
        let tmux = try Tmux.launch("\(binary) demo --pace 60 \(BuiltBinary.root.path)/demo/MM-T941.yaml; echo DEMO-EXIT=$?")
        defer { tmux.kill() }
        try tmux.wait(for: "14 steps · Space pauses · → skips ahead", timeout: 60)
        tmux.key("Right")
        try tmux.wait(for: "A phone with the Mattermost app", timeout: 20)
        for key in ["Enter", "n", "Right"] { tmux.key(key) }
        try tmux.wait(for: "user-1 logs in, as a person would", timeout: 20)
        XCTAssertFalse(tmux.everSeen("DEMO-EXIT"), "a skip key ended the demo")
        tmux.key("q")
        try tmux.wait(for: "DEMO-EXIT=0", timeout: 20)
    }

    /// The demo's own log is the user's (`$XDG_STATE_HOME/mmsim/demo.log`), never a fixed name in the shared
    /// temporary folder, which another user could hold or point at a file of theirs.
    func testTheDemoLogsIntoTheUsersOwnStateFolder() throws {
        let folder = BuiltBinary.temporaryFolder("demo-log")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmp = folder.appendingPathComponent("tmp"), state = folder.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let victim = folder.appendingPathComponent("victim.txt")
        try Data().write(to: victim)
        try FileManager.default.createSymbolicLink(atPath: tmp.appendingPathComponent("mmsim-demo.log").path,
                                                   withDestinationPath: victim.path)
        let out = try BuiltBinary.run(["demo", "--pace", "0.1", "\(BuiltBinary.root.path)/demo/MM-T941.yaml"],
                                      environment: ["TMPDIR": tmp.path, "XDG_STATE_HOME": state.path], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(try Data(contentsOf: victim).count, 0, "nothing written through the link")
        XCTAssertTrue(FileManager.default.fileExists(atPath: state.appendingPathComponent("mmsim/demo.log").path))
    }

    /// Any key closes the end screen with the verdict, `q` too (it said "demo stopped" there, with no verdict).
    func testTheLastScreenStaysUntilAKey() throws {
        let binary = try BuiltBinary.requireBuilt().path
        for key in ["x", "q"] {
            let tmux = try Tmux.launch("\(binary) demo --pace 0.1 \(BuiltBinary.root.path)/demo/MM-T941.yaml; echo DEMO-EXIT=$?")
            defer { tmux.kill() }
            try tmux.wait(for: "the end: any key closes", timeout: 60)
            XCTAssertFalse(tmux.everSeen("DEMO-EXIT"))
            tmux.key(key)
            try tmux.wait(for: "1 scenario: 1 passed, 0 failed", timeout: 20)
            try tmux.wait(for: "DEMO-EXIT=0", timeout: 20)
            XCTAssertFalse(tmux.everSeen("demo stopped"), key)
        }
    }

    /// `mmsim demo | head`: the reader going away ends the demo quietly (it trapped in FileHandle.write).
    func testAClosedPipeEndsTheDemoQuietly() throws {
        let binary = try BuiltBinary.requireBuilt().path
        let file = BuiltBinary.root.appendingPathComponent("demo/MM-T941.yaml").path
        let script = "'\(binary)' demo --pace 0.1 '\(file)' </dev/null | head -c 100 >/dev/null; exit ${PIPESTATUS[0]}"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    /// Outside the checkout the default demo file is not there: say where it is, not "demo/MM-T941.yaml:0:0".
    func testTheDefaultDemoOutsideTheCheckoutSaysWhereToRunIt() throws {
        let binary = try BuiltBinary.requireBuilt().path
        let folder = BuiltBinary.temporaryFolder("demo-elsewhere")
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["demo"]
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2, text)
        XCTAssertTrue(text.contains("demo/MM-T941.yaml is not here: the demo files are in mmsim's checkout; run from its folder"), text)
        XCTAssertFalse(text.contains(":0:0"), text)
    }

    /// A recording that cannot be written is refused before the demo plays, not after the whole talk.
    func testAnUnwritableRecordingIsRefusedBeforeTheDemo() throws {
        let folder = BuiltBinary.temporaryFolder("demo-record")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = BuiltBinary.root.appendingPathComponent("demo/MM-T941.yaml").path
        for (arguments, message) in [(["demo", "--record", folder.path, "--pace", "0.1", file], "it is a folder"),
                                     (["run", "--record", "", file], "the path is empty")] {
            let out = try BuiltBinary.run(arguments, timeoutSeconds: 30)
            XCTAssertEqual(out.status, 2, out.stderr)
            XCTAssertTrue(out.stderr.contains(message), out.stderr)
            XCTAssertFalse(out.stdout.contains("passed"), "refused before running: \(out.stdout)")
        }
    }
}
