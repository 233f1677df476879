import Foundation
import XCTest

/// The built `mmsim` binary, run as a child process from the repository root — shared by every test target
/// that checks the command line (exit codes, reports, crash safety).
public enum BuiltBinary {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `$MMSIM_BINARY` (another build), else this package's `.build/debug/mmsim`.
    public static var url: URL {
        if let explicit = ProcessInfo.processInfo.environment["MMSIM_BINARY"] { return URL(fileURLWithPath: explicit) }
        return root.appendingPathComponent(".build/debug/mmsim")
    }

    /// The binary, or a skip that says how to build it.
    @discardableResult
    public static func requireBuilt() throws -> URL {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw MissingTool.error("build the binary first: swift build --product mmsim")
        }
        return url
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// true: killed after `timeoutSeconds` (a hang).
        public var timedOut = false
    }

    /// Runs `mmsim ARGUMENTS` to completion, or kills it after `timeoutSeconds`; skips the test when the binary
    /// has not been built. `environment` values replace the test's; `removing` names variables to leave out.
    public static func run(_ arguments: [String], environment: [String: String] = [:], removing: [String] = [],
                           timeoutSeconds: Double? = nil) throws -> Output {
        try requireBuilt()
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = root
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        for name in removing { merged[name] = nil }
        process.environment = merged
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = Watchdog(pid: process.processIdentifier)
        if let timeoutSeconds {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds) { watchdog.fire() }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.finished()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self), timedOut: watchdog.killed)
    }

    /// Kills a child that outlives its deadline, never one that has already been waited for.
    private final class Watchdog: @unchecked Sendable {
        private let lock = NSLock()
        private let pid: Int32
        private var done = false
        private var fired = false
        init(pid: Int32) { self.pid = pid }
        func fire() {
            lock.withLock {
                guard !done else { return }
                fired = true
                kill(pid, SIGKILL)
            }
        }
        func finished() { lock.withLock { done = true } }
        var killed: Bool { lock.withLock { fired } }
    }

    public static func temporaryFolder(_ label: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A `mmsim` child that keeps running (a server): wait for a line on its output, signal it, collect the rest.
/// Output and the exit wake whoever waits (a condition), so nothing polls.
public final class RunningBinary: @unchecked Sendable {
    public let process = Process()
    private let changed = NSCondition()
    private var out = Data()
    private var err = Data()
    private var exited = false
    private let outPipe = Pipe(), errPipe = Pipe()

    public init(_ arguments: [String], environment: [String: String] = [:]) throws {
        try BuiltBinary.requireBuilt()
        process.executableURL = BuiltBinary.url
        process.arguments = arguments
        process.currentDirectoryURL = BuiltBinary.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        outPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.update { $0.out.append(data) }
        }
        errPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.update { $0.err.append(data) }
        }
        process.terminationHandler = { [weak self] _ in self?.update { $0.exited = true } }
        try process.run()
    }

    private func update(_ change: (RunningBinary) -> Void) {
        changed.lock()
        change(self)
        changed.broadcast()
        changed.unlock()
    }

    public var stdout: String { changed.withLock { String(decoding: out, as: UTF8.self) } }
    public var stderr: String { changed.withLock { String(decoding: err, as: UTF8.self) } }

    /// Waits until `done` holds of (stdout, stderr, exited), or the deadline passes; returns its last answer.
    private func wait(timeoutSeconds: Double, until done: (String, String, Bool) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        changed.lock()
        defer { changed.unlock() }
        while true {
            if done(String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), exited) { return true }
            if !changed.wait(until: deadline) {
                return done(String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), exited)
            }
        }
    }

    /// Waits until stdout contains `text` (true) or the process ends or the deadline passes (false).
    public func waitForOutput(_ text: String, timeoutSeconds: Double = 30) -> Bool {
        wait(timeoutSeconds: timeoutSeconds) { out, _, exited in out.contains(text) || exited } && stdout.contains(text)
    }

    /// The same on stderr.
    public func waitForError(_ text: String, timeoutSeconds: Double = 30) -> Bool {
        wait(timeoutSeconds: timeoutSeconds) { _, err, exited in err.contains(text) || exited } && stderr.contains(text)
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the exit (SIGKILL after the deadline) and returns its status; -1 when it had to be killed.
    public func finish(timeoutSeconds: Double = 30) -> Int32 {
        let killed = !wait(timeoutSeconds: timeoutSeconds) { _, _, exited in exited }
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
            pipe.fileHandleForReading.readabilityHandler = nil
            let rest = pipe.fileHandleForReading.readDataToEndOfFile()
            update { if isOut { $0.out.append(rest) } else { $0.err.append(rest) } }
        }
        return killed ? -1 : process.terminationStatus
    }
}
