import Foundation

/// A tool a test needs is missing: the test fails and says how to install it (`.ci/run` installs every tool). Never
/// a skip, which would let a test that never ran look like one that passed.
public struct MissingTool: Error, CustomStringConvertible {
    public var description: String

    public static func error(_ message: String) -> any Error { MissingTool(description: message) }
}
