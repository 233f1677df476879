import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A tmux server of our own (its own socket), so a tester's sessions are never touched.
public struct Tmux {
    public let path: String
    public let socket: String
    let seen = SeenText()

    final class SeenText: @unchecked Sendable {
        // Only the test's thread touches it.
        var all = ""
    }

    public init(path: String, socket: String) {
        self.path = path
        self.socket = socket
    }

    /// A new tmux server of its own running `command` at width×height; skips the test when tmux is missing.
    public static func launch(_ command: String, width: Int = 120, height: Int = 40,
                              environment: [String: String] = [:]) throws -> Tmux {
        guard let path = which("tmux") else { throw MissingTool.error("tmux is not installed: this test needs it (apt-get install tmux)") }
        let tmux = Tmux(path: path, socket: "mmsim-e2e-\(UUID().uuidString.prefix(8))")
        try tmux.start(command: command, width: width, height: height, environment: environment)
        return tmux
    }

    /// MM-T941's middle, by hand: airplane mode on (F2), Revoke All Sessions in the console (F5, Tab to the
    /// confirm button, Enter), confirmed done.
    public func revokeAllWhileInAirplaneMode() throws {
        key("F2")
        try wait(for: "✈ Airplane", timeout: 10)
        key("F5")
        try wait(for: "Revoke all sessions in the system", timeout: 10)
        key("Tab")
        key("Enter")
        try wait(for: "Revoke All Sessions: done", timeout: 30)
    }

    /// The first executable `tool` on $PATH.
    public static func which(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs tmux and returns its standard output. posix_spawn + waitpid rather than Foundation's Process, whose
    /// exit detection hung here (the SIGCHLD it waits for can land on a thread that ignores it).
    @discardableResult
    public func run(_ arguments: [String], output: Bool = true) -> String {
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

    /// `environment` goes through tmux's `-e`, so that secrets in it never appear in the app's command line.
    public func start(command: String, width: Int, height: Int, environment: [String: String] = [:]) throws {
        let variables = environment.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        run(["-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)"] + variables
            + ["env LANG=C.UTF-8 TERM=tmux-256color \(command); sleep 30"], output: false)
        guard run(["list-sessions"]).contains("e2e") else { throw MissingTool.error("tmux could not start a session") }
    }

    public func type(_ text: String) { run(["send-keys", "-t", "e2e", "-l", text], output: false) }
    public func key(_ name: String) { run(["send-keys", "-t", "e2e", name], output: false) }

    public func capture() -> String {
        let text = run(["capture-pane", "-t", "e2e", "-p"])
        seen.all += text
        return text
    }

    public func everSeen(_ text: String) -> Bool { seen.all.contains(text) }
    /// Every screen captured so far, one after the other.
    public var seenText: String { seen.all }

    /// Polls the screen until `text` shows, or fails with the last screen.
    public func wait(for text: String, timeout: TimeInterval, file: StaticString = #filePath, line: UInt = #line) throws {
        try wait(until: { $0.contains(text) }, "'\(text)'", timeout: timeout, file: file, line: line)
    }

    /// Polls the screen until `condition` holds for it (`what` names it in the failure), or fails with the last screen.
    public func wait(until condition: (String) -> Bool, _ what: String, timeout: TimeInterval,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = capture()
            if condition(screen) { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTFail("\(what) did not appear within \(Int(timeout)) s. Screen:\n\(screen)", file: file, line: line)
        throw WaitFailed(text: what)
    }

    /// The app quit: the shell's `sleep` after it is what runs now, so the UI is gone from the screen.
    public func waitForExit(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !capture().contains("F10Quit") { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTFail("mmsim did not quit on F10")
    }

    public func kill() { run(["kill-server"], output: false) }
}

public struct WaitFailed: Error {
    public let text: String
}
