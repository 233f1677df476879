import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// MM-T941 through the real binary in a real terminal (tmux): what a tester sees is what is checked.
final class EndToEndTests: XCTestCase {
    static let password = "SampleUser@1"

    func testRevokeAllSessionsWhileInAirplaneModeShowsLoginAfterReconnect() throws {
        guard let tmuxPath = Self.which("tmux") else { throw XCTSkip("tmux is not installed: the end-to-end test needs it (apt-get install tmux)") }
        guard let binary = Self.mmsimBinary() else { throw XCTSkip("mmsim binary not found; build it first (swift build --product mmsim)") }
        let tmux = Tmux(path: tmuxPath, socket: "mmsim-e2e-\(UUID().uuidString.prefix(8))")
        defer { tmux.kill() }
        try tmux.start(command: "\(binary) --ephemeral", width: 120, height: 40)

        try tmux.wait(for: "Log in to your account", timeout: 60)
        tmux.type("user-1")
        tmux.key("Enter")
        tmux.type(Self.password)
        tmux.key("Enter")
        try tmux.wait(for: "Town Square", timeout: 30)
        try tmux.wait(for: "live", timeout: 30)

        tmux.key("F2")
        try tmux.wait(for: "✈ Airplane", timeout: 10)

        tmux.key("F5")
        try tmux.wait(for: "Revoke all sessions in the system", timeout: 10)
        tmux.type("y")
        try tmux.wait(for: "Revoke All Sessions: done", timeout: 30)
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

    static func which(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// $MMSIM_BINARY, else next to the test bundle, else .build/debug of this package.
    static func mmsimBinary() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["MMSIM_BINARY"] { return explicit }
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("mmsim"),
            bundleDir.appendingPathComponent("mmsim"),
            packageRoot.appendingPathComponent(".build/debug/mmsim"),
        ]
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A tmux server of our own (its own socket), so a tester's sessions are never touched.
struct Tmux {
    let path: String
    let socket: String
    let seen = SeenText()

    final class SeenText: @unchecked Sendable {
        // Only the test's thread touches it.
        var all = ""
    }

    /// Runs tmux and returns its standard output. posix_spawn + waitpid rather than Foundation's Process, whose
    /// exit detection hung here (the SIGCHLD it waits for can land on a thread that ignores it).
    @discardableResult
    func run(_ arguments: [String], output: Bool = true) -> String {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return "" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // A tmux server started here would keep an inherited pipe open forever: give it /dev/null instead.
        if output {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let argv = ([path, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(fds[1])
        var data = [UInt8]()
        if spawned == 0 {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(fds[0], &buffer, buffer.count)
                if count <= 0 { break }
                data += buffer[0..<count]
            }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(fds[0])
        return String(decoding: data, as: UTF8.self)
    }

    func start(command: String, width: Int, height: Int) throws {
        run(["-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)",
             "env LANG=C.UTF-8 TERM=tmux-256color \(command); sleep 30"], output: false)
        guard run(["list-sessions"]).contains("e2e") else { throw XCTSkip("tmux could not start a session") }
    }

    func type(_ text: String) { run(["send-keys", "-t", "e2e", "-l", text], output: false) }
    func key(_ name: String) { run(["send-keys", "-t", "e2e", name], output: false) }

    func capture() -> String {
        let text = run(["capture-pane", "-t", "e2e", "-p"])
        seen.all += text
        return text
    }

    func everSeen(_ text: String) -> Bool { seen.all.contains(text) }

    /// Polls the screen until `text` shows, or fails with the last screen.
    func wait(for text: String, timeout: TimeInterval, file: StaticString = #filePath, line: UInt = #line) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = capture()
            if screen.contains(text) { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTFail("'\(text)' did not appear within \(Int(timeout)) s. Screen:\n\(screen)", file: file, line: line)
        throw WaitFailed(text: text)
    }

    /// The app quit: the shell's `sleep` after it is what runs now, so the UI is gone from the screen.
    func waitForExit(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !capture().contains("F10Quit") { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTFail("mmsim did not quit on F10")
    }

    func kill() { run(["kill-server"], output: false) }
}

struct WaitFailed: Error {
    let text: String
}
