import Foundation
import MMSimTestSupport
import XCTest

/// Data folders through the built binary: private modes, never someone else's folder, `reset` removes only
/// mmsim's own files, and bad paths or names exit 2 with a message.
final class DataFolderCommandTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = BuiltBinary.temporaryFolder("datafolder") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    /// Starts `serve ARGUMENTS`, checks `body` while it listens, stops it with SIGTERM.
    func whileServing(_ arguments: [String], environment: [String: String] = [:], _ body: (RunningBinary) throws -> Void) throws {
        let server = try RunningBinary(["serve", "--port", "0"] + arguments, environment: environment)
        XCTAssertTrue(server.waitForOutput("listening"), server.stderr)
        try body(server)
        server.signal(SIGTERM)
        XCTAssertEqual(server.finish(), 0, server.stderr)
    }

    func testServeDataFolderAndDatabaseArePrivate() throws {
        let data = folder.appendingPathComponent("new")
        try whileServing(["--data", data.path]) { _ in
            XCTAssertEqual(mode(data.path), 0o700)
            XCTAssertEqual(mode(data.appendingPathComponent("mmsim.sqlite").path), 0o600)
        }
        // A folder an older mmsim left readable by everyone is made private again.
        chmod(data.path, 0o755)
        chmod(data.appendingPathComponent("mmsim.sqlite").path, 0o644)
        try whileServing(["--data", data.path]) { _ in
            XCTAssertEqual(mode(data.path), 0o700)
            for name in try FileManager.default.contentsOfDirectory(atPath: data.path) where name.hasPrefix("mmsim.sqlite") {
                XCTAssertEqual(mode(data.appendingPathComponent(name).path), 0o600, name)
            }
        }
    }

    func testEphemeralFolderIsPrivateAndRemoved() throws {
        let tmp = folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        try whileServing(["--ephemeral"], environment: ["TMPDIR": tmp.path]) { _ in
            let made = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
            XCTAssertEqual(made.count, 1)
            let data = tmp.appendingPathComponent(made.first ?? "")
            XCTAssertEqual(mode(data.path), 0o700)
            XCTAssertEqual(mode(data.appendingPathComponent("mmsim.sqlite").path), 0o600)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [])
    }

    func testForeignNonEmptyFolderIsRefused() throws {
        let home = folder.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try "mine".write(to: home.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let out = try BuiltBinary.run(["serve", "--port", "0", "--data", home.path], timeoutSeconds: 30)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("\(home.path) is not empty and is not an mmsim data folder"), out.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home.path), ["notes.txt"], "nothing written there")
        XCTAssertEqual(mode(home.path), 0o755, "nor its mode changed")
    }

    func testResetRemovesOnlyMMSimFiles() throws {
        let data = folder.appendingPathComponent("data")
        try whileServing(["--data", data.path]) { _ in }
        try "mine".write(to: data.appendingPathComponent("precious.txt"), atomically: true, encoding: .utf8)
        // The app's saved timelines are mmsim's, kept, and said so (they were counted as not mmsim's, unnamed).
        try FileManager.default.createDirectory(at: data.appendingPathComponent("timelines"), withIntermediateDirectories: true)
        let out = try BuiltBinary.run(["reset", "--data", data.path, "--yes"], timeoutSeconds: 30)
        XCTAssertEqual(out.status, 0, out.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: data.path).sorted()
        XCTAssertEqual(left, ["mmsim.lock", "precious.txt", "timelines"], "the database went, the user's file stayed")
        XCTAssertTrue(out.stdout.contains("Kept the saved timelines in timelines/. Left what mmsim did not make: precious.txt."),
                      out.stdout)
    }

    /// Answered "no" (here: no answer at all), reset changes nothing: it made the folder 0700 and an empty
    /// database in it before asking.
    func testResetAnsweredNoChangesNothing() throws {
        let data = folder.appendingPathComponent("asked")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data().write(to: data.appendingPathComponent("mmsim.lock"))
        chmod(data.path, 0o755)
        let out = try BuiltBinary.run(["reset", "--data", data.path], timeoutSeconds: 30)
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stdout.contains("Aborted; nothing was removed."), out.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: data.path), ["mmsim.lock"])
        XCTAssertEqual(mode(data.path), 0o755)
    }

    func testBadServeInputsExitTwoWithAMessage() throws {
        let file = folder.appendingPathComponent("a-file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["serve", "--ephemeral", "--host", "999.1.1.1"], "--host expects an IP address or a host name"),
            (["serve", "--ephemeral", "--host", ""], "--host expects an IP address or a host name"),
            (["serve", "--data", file.path], "the data folder \(file.path) is not a folder"),
            (["unlock", "--data", file.path, "user-1"], "no mmsim database in \(file.path)"),
        ]
        for (arguments, message) in cases {
            let out = try BuiltBinary.run(arguments + ["--port", "0"].filter { _ in arguments[0] == "serve" }, timeoutSeconds: 30)
            XCTAssertEqual(out.status, 2, "\(arguments): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains(message), "\(arguments): \(out.stderr)")
        }
    }

    func testUnlockOfAnUnknownUserExitsTwo() throws {
        let data = folder.appendingPathComponent("data")
        try whileServing(["--data", data.path]) { _ in }
        let out = try BuiltBinary.run(["unlock", "--data", data.path, "nobody"], timeoutSeconds: 30)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("no user 'nobody'"), out.stderr)
    }
}

/// `mmsim` (the interactive app) on a terminal it cannot draw on: refused before curses or the data folder.
final class TerminalTypeTests: XCTestCase {
    /// Runs `mmsim ui --ephemeral` on a pseudo-terminal (util-linux `script`), with TERM and TMPDIR set.
    func runOnPTY(term: String, tmp: URL) throws -> (status: Int32, output: String) {
        guard let script = Tmux.which("script") else { throw MissingTool.error("util-linux `script` is not installed (apt-get install bsdutils)") }
        let binary = try BuiltBinary.requireBuilt()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        let command = "env TERM='\(term)' TMPDIR='\(tmp.path)' '\(binary.path)' ui --ephemeral"
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A terminal the app cannot draw on used to leave it running on a blank screen: give it a deadline.
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testDumbAndUnknownTerminalsAreRefusedCleanly() throws {
        let tmp = BuiltBinary.temporaryFolder("term")
        defer { try? FileManager.default.removeItem(at: tmp) }
        for (term, message) in [("dumb", "TERM=dumb cannot move the cursor"),
                                ("no-such-terminal-type", "TERM=no-such-terminal-type is not a terminal type this system knows")] {
            let run = try runOnPTY(term: term, tmp: tmp)
            XCTAssertEqual(run.status, 2, "\(term): \(run.output)")
            XCTAssertTrue(run.output.contains(message), "\(term): \(run.output)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [], "\(term): no --ephemeral folder left")
        }
    }
}
