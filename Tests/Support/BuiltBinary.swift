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
    }

    /// Runs `mmsim ARGUMENTS` to completion; skips the test when the binary has not been built.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try requireBuilt()
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    public static func temporaryFolder(_ label: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
