import Foundation
import XCTest

/// A tool a test needs is missing: a skip that says how to get it on a developer's machine, a failure on CI
/// (`CI=true`), where `.ci/run` installs every tool and a skip would hide a test that never ran.
public struct MissingTool: Error, CustomStringConvertible {
    public var description: String

    public static func error(_ message: String) -> any Error {
        if ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" {
            return MissingTool(description: "\(message) — required on CI")
        }
        return XCTSkip(message)
    }
}
