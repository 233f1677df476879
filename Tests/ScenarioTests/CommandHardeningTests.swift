import Foundation
import MMSimTestSupport
import XCTest

/// The commands under hostile or careless conditions: full disks, odd paths, bad inputs.
final class CommandHardeningTests: XCTestCase {
    /// /dev/full fails every write with ENOSPC, like a full disk: the server goes on, the loss is reported once.
    func testFullDiskLogFileDropsLinesAndServerGoesOn() throws {
        let server = try RunningBinary(["serve", "--ephemeral", "--port", "0", "--log-file", "/dev/full", "--log-level", "trace"])
        XCTAssertTrue(server.waitForOutput("listening"), server.stderr)
        server.signal(SIGTERM)
        XCTAssertEqual(server.finish(), 0, server.stderr)
        let reports = server.stderr.components(separatedBy: "cannot write the log file /dev/full").count - 1
        XCTAssertEqual(reports, 1, "reported once: \(server.stderr)")
        XCTAssertTrue(server.stderr.contains("No space left on device"), server.stderr)
    }

    func testLogFileNamingAFolderExitsTwo() throws {
        let folder = BuiltBinary.temporaryFolder("logdir")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = try BuiltBinary.run(["run", "demo", "--check", "--log-file", folder.path], timeoutSeconds: 30)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("--log-file \(folder.path): cannot open it for writing: it is a folder"), out.stderr)
    }
}

/// Report paths: written through symbolic links and into devices and FIFOs; atomic replace only for files.
final class OutputPathTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = BuiltBinary.temporaryFolder("outputs") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func scenario() throws -> String {
        let path = folder.appendingPathComponent("s.yaml").path
        try withSteps("  - launch: phone").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testSymlinkedReportIsWrittenThroughAndStaysALink() throws {
        let target = folder.appendingPathComponent("real.xml").path
        try "old".write(toFile: target, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("link.xml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.xml")
        let dangling = folder.appendingPathComponent("dangling.json").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "made-by-run.json")
        let out = try BuiltBinary.run(["run", try scenario(), "--junit", link, "--json", dangling], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "real.xml", "the link is still a link")
        XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).contains("<testsuites"), "its target has the report")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dangling), "made-by-run.json")
        XCTAssertTrue(try String(contentsOfFile: folder.appendingPathComponent("made-by-run.json").path, encoding: .utf8)
            .contains("\"passed\" : 1"))
    }

    func testFIFOReceivesTheReportAndStaysAFIFO() throws {
        let fifo = folder.appendingPathComponent("tap.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let received = ReceivedText()
        let reader = Thread {
            received.set(FileHandle(forReadingAtPath: fifo).map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) })
        }
        reader.start()
        let out = try BuiltBinary.run(["run", try scenario(), "--tap", fifo], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(received.wait(seconds: 30)?.hasPrefix("TAP version 14") ?? false, "the reader got the report")
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "still a FIFO")
    }

    /// One report that cannot be written costs only itself: the others are still written (they were never
    /// written after the first failure), and the exit is 2.
    func testAFailedReportDoesNotCostTheOthers() throws {
        let folder = BuiltBinary.temporaryFolder("reports")
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("r.json").path, cast = folder.appendingPathComponent("r.cast").path
        let out = try BuiltBinary.run(["run", try scenario(), "--junit", "/dev/full", "--json", json, "--record", cast],
                                      timeoutSeconds: 60)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("cannot write /dev/full"), out.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: json), "the JSON report was written")
        XCTAssertTrue(FileManager.default.fileExists(atPath: cast), "the recording was written")
    }

    func testFullDeviceIsAnErrorAndStaysADevice() throws {
        let out = try BuiltBinary.run(["run", try scenario(), "--json", "/dev/full"], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("cannot write /dev/full: No space left on device"), out.stderr)
        var info = stat()
        XCTAssertEqual(lstat("/dev/full", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "/dev/full is still a device")
    }

    func testSnapshotsOntoAFileExitsTwoBeforeRunning() throws {
        let file = folder.appendingPathComponent("not-a-folder").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let out = try BuiltBinary.run(["run", try scenario(), "--snapshots", file], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("--snapshots \(file): not a folder"), out.stderr)
        XCTAssertEqual(out.stdout, "", "nothing ran")
    }

    /// A snapshot that cannot be written (the disk is full: /dev/full behind the file's name) fails the run.
    func testSnapshotOnAFullDiskExitsTwo() throws {
        let snapshots = folder.appendingPathComponent("snaps")
        let scenarioFolder = snapshots.appendingPathComponent("test")
        try FileManager.default.createDirectory(at: scenarioFolder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scenarioFolder.appendingPathComponent("01-launch.txt").path,
                                                   withDestinationPath: "/dev/full")
        let out = try BuiltBinary.run(["run", try scenario(), "--snapshots", snapshots.path], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("No space left on device"), out.stderr)
    }
}

/// Text handed from a reader thread to the test.
final class ReceivedText: @unchecked Sendable {
    private let condition = NSCondition()
    private var text: String?
    private var done = false

    func set(_ value: String?) {
        condition.withLock {
            text = value
            done = true
            condition.broadcast()
        }
    }

    func wait(seconds: Double) -> String? {
        condition.withLock {
            let deadline = Date().addingTimeInterval(seconds)
            while !done, condition.wait(until: deadline) {}
            return text
        }
    }
}

/// A secret in a scenario's name or steps and a terminal escape in a post reach no output raw.
final class OutputSecrecyTests: XCTestCase {
    /// Runs `yaml` with every output asked for (JUnit, TAP, JSON, a recording, snapshots); returns the exit status
    /// and each output's text by name (`stdout`, `tap.txt`, `wrapped/after.txt`, …).
    private func runWithEveryOutput(_ yaml: String, named name: String, environment: [String: String]) throws
        -> (status: Int32, outputs: [String: String], snapshotFiles: [String]) {
        let folder = BuiltBinary.temporaryFolder(name)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("\(name).yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let reports = ["junit.xml", "tap.txt", "report.json", "run.cast"]
        let path = { (report: String) in folder.appendingPathComponent(report).path }
        let snapshots = folder.appendingPathComponent("snapshots")
        let out = try BuiltBinary.run(["run", file, "--junit", path(reports[0]), "--tap", path(reports[1]),
                                       "--json", path(reports[2]), "--record", path(reports[3]), "--snapshots", snapshots.path],
                                      environment: environment, timeoutSeconds: 60)
        var outputs = ["stdout": out.stdout, "stderr": out.stderr]
        for report in reports { outputs[report] = try String(contentsOfFile: path(report), encoding: .utf8) }
        let snapshotFiles = FileManager.default.enumerator(atPath: snapshots.path)?.compactMap { $0 as? String } ?? []
        for name in snapshotFiles where name.hasSuffix(".txt") {
            outputs[name] = try String(contentsOfFile: snapshots.appendingPathComponent(name).path, encoding: .utf8)
        }
        return (out.status, outputs, snapshotFiles)
    }

    func testSecretsAndEscapesNeverLeaveRaw() throws {
        let password = "SampleUser@1"
        let run = try runWithEveryOutput("""
            name: "secrets ${PW}"
            tags: ["t-${PW}"]
            devices:
              phone: { user: user-1, password: "${PW}" }
            steps:
              - launch: phone
              - login: phone
                caption: "caption ${PW}"
              - post: { device: phone, channel: Town Square, text: "\\e]0;PWNED\\a\\e[2J ${PW}" }
              - assertVisible: { device: phone, text: "${PW} is not on screen" }

            """, named: "secrecy", environment: ["PW": password])
        let outputs = run.outputs, snapshotFiles = run.snapshotFiles
        XCTAssertEqual(run.status, 1, "the assertion fails: \(outputs["stdout"] ?? "")\(outputs["stderr"] ?? "")")
        XCTAssertFalse(snapshotFiles.isEmpty)
        for (name, text) in outputs {
            XCTAssertFalse(text.contains(password), "\(name) shows the password:\n\(text)")
            XCTAssertFalse(text.lowercased().contains("sampleuser-1"), "\(name) shows the password as a slug")
            XCTAssertFalse(text.contains("\u{1B}]0;PWNED"), "\(name) has the raw escape")
            XCTAssertFalse(text.contains("u001b]0;PWNED") || text.contains("u001B]0;PWNED"), "\(name) has the escape, JSON-encoded")
        }
        XCTAssertTrue(outputs["stdout"]?.contains("secrets [redacted]") ?? false, outputs["stdout"] ?? "")
        XCTAssertTrue(outputs["tap.txt"]?.contains("\\e]0;PWNED") ?? false, "the TAP report shows the escape as text")
        XCTAssertFalse(snapshotFiles.contains { $0.lowercased().contains("sampleuser") }, "\(snapshotFiles)")
    }

    /// A long secret the phone's screen wraps across two lines reaches no output (the screen was scrubbed line by
    /// line, after wrapping).
    func testASecretSplitByTheScreensWrappingIsScrubbedBeforeDrawing() throws {
        let secret = "Abcdefghijklmnopqrstuvwxyz0123456789XYZ"
        let run = try runWithEveryOutput("""
            name: wrapped
            credentials:
              user-1: SampleUser@1
              user-9: ${PW}
            devices:
              phone: { user: user-1 }
            steps:
              - launch: phone
              - login: phone
              - post: { device: phone, channel: Town Square, text: "oops I pasted my password ${PW} here" }
              - snapshot: { device: phone, name: after }
              - assertVisible: { device: phone, text: "this is not on screen" }

            """, named: "wrapped", environment: ["PW": secret])
        let outputs = run.outputs
        XCTAssertEqual(run.status, 1, (outputs["stdout"] ?? "") + (outputs["stderr"] ?? ""))
        for (name, text) in outputs {
            for piece in [String(secret.prefix(12)), String(secret.suffix(12))] {
                XCTAssertFalse(text.contains(piece), "\(name) shows part of the password:\n\(text)")
            }
        }
        XCTAssertTrue(outputs["wrapped/after.txt"]?.contains("[redacted]") ?? false, outputs["wrapped/after.txt"] ?? "")
    }
}

/// A post's line breaks survive scrubbing, and a password in `--server`'s URL reaches no output (the URL was shown
/// as given).
final class WrappedSecretTests: XCTestCase {
    /// Scrubbing before drawing keeps a post's line breaks (they were escaped to a literal \\n before wrapping).
    func testASnapshotKeepsAPostsLineBreaks() throws {
        let folder = BuiltBinary.temporaryFolder("breaks")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("breaks.yaml").path
        try """
            name: breaks
            devices:
              phone: { user: user-1, password: SampleUser@1 }
            steps:
              - launch: phone
              - login: phone
              - post: { device: phone, channel: Town Square, text: "first line\\nsecond line" }
              - snapshot: { device: phone, name: after }

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let snapshots = folder.appendingPathComponent("snapshots")
        let out = try BuiltBinary.run(["run", file, "--snapshots", snapshots.path], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        let text = try String(contentsOfFile: snapshots.appendingPathComponent("breaks/after.txt").path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.contains("first line") && !$0.contains("second") }, text)
        XCTAssertTrue(lines.contains { $0.contains("second line") }, text)
        XCTAssertFalse(text.contains("\\n"), text)
    }

    func testAPasswordInTheServerURLIsRefusedWithoutRepeatingIt() throws {
        let file = BuiltBinary.root.appendingPathComponent("demo/MM-T941.yaml").path
        for arguments in [["run", file, "--server", "http://admin:SuperSecret99@127.0.0.1:1"],
                          ["fleet", "--devices", "1", "--server", "http://admin:SuperSecret99@127.0.0.1:1"],
                          ["--server", "http://admin:SuperSecret99@127.0.0.1:1"]] {
            let out = try BuiltBinary.run(arguments, timeoutSeconds: 30)
            XCTAssertEqual(out.status, 2, "\(arguments): \(out.stdout)\(out.stderr)")
            XCTAssertTrue(out.stderr.contains("must not carry a user name or password"), out.stderr)
            XCTAssertFalse((out.stdout + out.stderr).contains("SuperSecret99"), out.stderr)
        }
    }
}

/// A scenario still running when a signal comes: against a server, its wait is real time.
func slowScenario(in temp: URL) throws -> String {
    let file = temp.appendingPathComponent("slow.yaml").path
    try withSteps("  - launch: phone\n  - wait: 1m\n").write(toFile: file, atomically: true, encoding: .utf8)
    return file
}

/// An empty folder `name` under `temp` for a run's TMPDIR, watched for the first thing made in it.
func watchedTMPDIR(_ name: String, in temp: URL) throws -> (URL, FolderWatch) {
    let tmp = temp.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    return (tmp, FolderWatch(tmp))
}

func startSlowRun(_ file: String, tmp: URL, server: String) throws -> RunningBinary {
    try RunningBinary(["run", file, "--server", server], environment: ["TMPDIR": tmp.path])
}

/// Scratch folders: device names never name a folder, and a signalled run leaves nothing behind.
final class ScratchFolderTests: XCTestCase {
    func testDeviceNamesNeverNameFolders() throws {
        let temp = BuiltBinary.temporaryFolder("tmpdir")
        defer { try? FileManager.default.removeItem(at: temp) }
        let scenarios = temp.appendingPathComponent("scenarios")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        let file = scenarios.appendingPathComponent("dots.yaml").path
        try """
            name: dots
            devices:
              "..": { user: user-1, password: SampleUser@1 }
              "../escaped": { user: user-2, password: SampleUser@1 }
            steps:
              - launch: ".."
              - login: ".."
              - launch: "../escaped"
              - login: "../escaped"

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let tmp = temp.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let out = try BuiltBinary.run(["run", file], environment: ["TMPDIR": tmp.path], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        let mode = try FileManager.default.attributesOfItem(atPath: tmp.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o755, "TMPDIR's mode is untouched")
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp.path)
        XCTAssertEqual(left, [], "no keychain, no escaped folder, no run folder left in TMPDIR")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temp.path).sorted(), ["scenarios", "tmp"],
                       "nothing escaped beside TMPDIR")
    }

    /// The signal comes the moment the folder appears, while the run is still setting up its phone: again and
    /// again, since what goes wrong here goes wrong only now and then.
    func testSIGTERMRemovesTheRunFolder() throws {
        let temp = BuiltBinary.temporaryFolder("sigterm")
        defer { try? FileManager.default.removeItem(at: temp) }
        let file = try slowScenario(in: temp)
        let server = try serveEphemeral(users: 1)
        for round in 1...50 {
            let (tmp, watch) = try watchedTMPDIR("tmp-\(round)", in: temp)
            let run = try startSlowRun(file, tmp: tmp, server: server)
            XCTAssertTrue(watch.waitUntilNotEmpty(), "the run made its folder")
            run.signal(SIGTERM)
            _ = run.finish(timeoutSeconds: 10)
            XCTAssertEqual(run.process.terminationReason, .uncaughtSignal, "round \(round): \(run.stderr)")
            XCTAssertEqual(run.process.terminationStatus, SIGTERM, "round \(round)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [],
                           "round \(round): no /tmp/mmsim-run-* left")
            if run.process.terminationStatus != SIGTERM { break }
        }
    }
}

/// Soak and run own a scratch folder under $TMPDIR: gone after Ctrl-C, kill or a closed terminal; a $TMPDIR that
/// cannot hold it is bad input (exit 2), not phones failing.
final class CommandScratchTests: XCTestCase {
    func testSoakRemovesItsFolderOnEverySignalThatEndsIt() throws {
        let temp = BuiltBinary.temporaryFolder("soak-signals")
        defer { try? FileManager.default.removeItem(at: temp) }
        for number in [SIGTERM, SIGINT, SIGHUP] {
            let (tmp, watch) = try watchedTMPDIR("tmp-\(number)", in: temp)
            let soak = try RunningBinary(["soak", "--devices", "3", "--minutes", "600"], environment: ["TMPDIR": tmp.path])
            XCTAssertTrue(watch.waitUntilNotEmpty(), "soak made its folder")
            soak.signal(number)
            _ = soak.finish(timeoutSeconds: 20)
            XCTAssertEqual(soak.process.terminationReason, .uncaughtSignal, "signal \(number): \(soak.stderr)")
            XCTAssertEqual(soak.process.terminationStatus, number)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [], "signal \(number): nothing left")
        }
    }

    func testRunRemovesItsFolderOnSIGHUP() throws {
        let temp = BuiltBinary.temporaryFolder("run-sighup")
        defer { try? FileManager.default.removeItem(at: temp) }
        let file = try slowScenario(in: temp)
        let (tmp, watch) = try watchedTMPDIR("tmp", in: temp)
        let run = try startSlowRun(file, tmp: tmp, server: try serveEphemeral(users: 1))
        XCTAssertTrue(watch.waitUntilNotEmpty(), "the run made its folder")
        run.signal(SIGHUP)
        _ = run.finish(timeoutSeconds: 10)
        XCTAssertEqual(run.process.terminationReason, .uncaughtSignal, run.stderr)
        XCTAssertEqual(run.process.terminationStatus, SIGHUP)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [])
    }

    /// `trap '' INT` (or a shell's background job): SIGINT stays ignored; SIGTERM still ends the run, folder removed.
    func testASIGINTIgnoredByTheParentStaysIgnored() throws {
        let temp = BuiltBinary.temporaryFolder("ignored-int")
        defer { try? FileManager.default.removeItem(at: temp) }
        let file = try slowScenario(in: temp)
        let (tmp, watch) = try watchedTMPDIR("tmp", in: temp)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' INT; exec \"$0\" run \"$1\" --server \"$2\"",
                             try BuiltBinary.requireBuilt().path, file, try serveEphemeral(users: 1)]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": tmp.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        XCTAssertTrue(watch.waitUntilNotEmpty(), "the run made its folder")
        // Its handlers are in place once the folder exists: the kernel's own record says what it ignores.
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        let ignored = status.split(separator: "\n").first { $0.hasPrefix("SigIgn:") }
            .flatMap { UInt64($0.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
        XCTAssertNotEqual(ignored & (1 << UInt64(SIGINT - 1)), 0, "SIGINT is no longer ignored: \(status)")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(process.terminationStatus, SIGTERM)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [])
    }

    func testAnUnusableTMPDIRIsBadInput() throws {
        let missing = BuiltBinary.temporaryFolder("no-tmpdir").appendingPathComponent("x/y")
        defer { try? FileManager.default.removeItem(at: missing.deletingLastPathComponent().deletingLastPathComponent()) }
        for arguments in [["run", "demo/MM-T941.yaml"], ["soak", "--devices", "2", "--minutes", "1"]] {
            let out = try BuiltBinary.run(arguments, environment: ["TMPDIR": missing.path], timeoutSeconds: 60)
            XCTAssertEqual(out.status, 2, "\(arguments): \(out.stdout)\(out.stderr)")
            XCTAssertTrue(out.stderr.contains("cannot use \(missing.path) for scratch files"), out.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: missing.path), "TMPDIR is not made up")
        }
        let full = try BuiltBinary.run(["run", "demo/MM-T941.yaml"], environment: ["TMPDIR": "/dev/full"], timeoutSeconds: 60)
        XCTAssertEqual(full.status, 2, full.stdout + full.stderr)
    }
}

/// `mmsim serve --ephemeral` promises its folder goes on exit: also when the signal comes while it starts.
final class EphemeralServeSignalTests: XCTestCase {
    func testSIGTERMWhileStartingRemovesTheEphemeralFolder() throws {
        let temp = BuiltBinary.temporaryFolder("ephemeral-sigterm")
        defer { try? FileManager.default.removeItem(at: temp) }
        for round in 1...20 {
            let (tmp, watch) = try watchedTMPDIR("tmp-\(round)", in: temp)
            let serve = try RunningBinary(["serve", "--ephemeral", "--port", "0"], environment: ["TMPDIR": tmp.path])
            XCTAssertTrue(watch.waitUntilNotEmpty(), "the server made its folder")
            serve.signal(SIGTERM)
            _ = serve.finish(timeoutSeconds: 10)
            // Still starting: dies of the signal; already listening: a graceful stop. Either way, no folder.
            let reason = serve.process.terminationReason, status = serve.process.terminationStatus
            XCTAssertTrue(reason == .uncaughtSignal ? status == SIGTERM : status == 0,
                          "round \(round): \(reason == .exit ? "exit" : "signal") \(status)\n\(serve.stderr)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [],
                           "round \(round): the ephemeral folder is gone")
        }
    }
}

/// Scenario and env file paths that are not what they should be: exit 2 saying what they are.
final class InputPathTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = BuiltBinary.temporaryFolder("inputs") }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testScenarioPathsThatAreNotFilesSayWhatTheyAre() throws {
        let fifo = folder.appendingPathComponent("pipe.yaml").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let dangling = folder.appendingPathComponent("gone.yaml").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "missing.yaml")
        let empty = folder.appendingPathComponent("empty-folder")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let binary = folder.appendingPathComponent("binary.yaml").path
        try Data([0xFF, 0xFE, 0x00, 0x41]).write(to: URL(fileURLWithPath: binary))
        let cases = [
            (fifo, "\(fifo): error: a FIFO (named pipe), not a scenario file"),
            (dangling, "\(dangling): error: a symbolic link to missing.yaml, which does not exist"),
            ("/dev/null", "/dev/null: error: a device, not a scenario file"),
            (empty.path, "\(empty.path): error: no *.yaml or *.yml files in this folder"),
            (binary, "\(binary): error: the file is not UTF-8 text"),
        ]
        for (path, message) in cases {
            let out = try BuiltBinary.run(["run", path], timeoutSeconds: 30)
            XCTAssertFalse(out.timedOut, "\(path) hung")
            XCTAssertEqual(out.status, 2, "\(path): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains(message), "\(path): \(out.stderr)")
        }
    }

    func testEnvFileWithCRLFAndByteOrderMark() throws {
        let scenario = folder.appendingPathComponent("env.yaml").path
        try "name: x\ndevices: { phone: { user: user-1, password: \"${PHONE_PASSWORD}\" } }\nsteps: [ { launch: phone }, { login: phone } ]\n"
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        let envFile = folder.appendingPathComponent("secrets.env")
        try Data([0xEF, 0xBB, 0xBF] + Array("# comment\r\nPHONE_PASSWORD=SampleUser@1\r\nOTHER=x\r\n".utf8)).write(to: envFile)
        let out = try BuiltBinary.run(["run", scenario, "--env-file", envFile.path], removing: ["PHONE_PASSWORD"], timeoutSeconds: 60)
        XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
        let fifo = folder.appendingPathComponent("env.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let refused = try BuiltBinary.run(["run", scenario, "--env-file", fifo], timeoutSeconds: 30)
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--env-file \(fifo): a FIFO (named pipe)"), refused.stderr)
    }
}

/// Nobody reading any more (`| head`, a closed stderr, a parent that died): the text is lost, the process is not.
final class ClosedStreamTests: XCTestCase {
    /// A pipe whose reading end is already closed: every write to it fails with EPIPE.
    func deadPipe() throws -> Pipe {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        return pipe
    }

    func testAnErrorToAClosedStderrStillExitsTwo() throws {
        let process = Process()
        process.executableURL = try BuiltBinary.requireBuilt()
        process.arguments = ["run", "/nonexistent/scenario.yaml"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try deadPipe()
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "ended by a signal: \(process.terminationStatus)")
        XCTAssertEqual(process.terminationStatus, 2)
    }

    /// A report asked for on stdout that cannot be written (a full disk) is lost: exit 2, as for a file.
    func testAReportOnAFullStdoutExitsTwo() throws {
        let process = Process()
        process.executableURL = try BuiltBinary.requireBuilt()
        process.currentDirectoryURL = BuiltBinary.root
        process.arguments = ["run", "demo/MM-T941.yaml", "--json", "-"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2, said)
        XCTAssertTrue(said.contains("cannot write standard output: No space left on device"), said)
    }

    /// stdout carries one report and nothing else: `--junit -` is XML alone; two reports there are refused.
    func testStdoutCarriesOneReportAlone() throws {
        let junit = try BuiltBinary.run(["run", "demo/MM-T941.yaml", "--junit", "-"])
        XCTAssertEqual(junit.status, 0, junit.stderr)
        XCTAssertTrue(junit.stdout.hasPrefix("<?xml"), junit.stdout)
        XCTAssertTrue(junit.stderr.contains("1 scenario: 1 passed"), junit.stderr)
        let two = try BuiltBinary.run(["run", "demo/MM-T941.yaml", "--tap", "-", "--json", "-"])
        XCTAssertEqual(two.status, 2)
        XCTAssertTrue(two.stderr.contains("only one of --junit, --tap and --json can go to stdout"), two.stderr)
    }

    /// The fleet's server child answers `cpu` on stdout; when its parent is gone, it goes on until stdin ends.
    func testTheFleetServerChildOutlivesAClosedStdout() throws {
        let process = Process()
        process.executableURL = try BuiltBinary.requireBuilt()
        process.arguments = ["serve", "--port", "0", "--fleet-users", "2", "--log-level", "warning"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var ready = Data()
        while !ready.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            ready.append(chunk)
        }
        XCTAssertTrue(String(decoding: ready, as: UTF8.self).contains("listening"))
        try output.fileHandleForReading.close()
        try input.fileHandleForWriting.write(contentsOf: Data("cpu\ntrim\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationReason, .exit, "ended by a signal: \(process.terminationStatus)\n\(said)")
        XCTAssertEqual(process.terminationStatus, 0, said)
        XCTAssertFalse(said.contains("Fatal error"), said)
    }
}
