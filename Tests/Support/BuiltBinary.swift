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
