import Foundation

/// stdout and stderr for messages. A reader that went away (`| head`, a closed stderr, a parent that died) costs
/// the text, never the process: FileHandle's non-throwing `write` traps on EPIPE or EBADF.
public enum StandardStream: Sendable {
    case output, error

    /// False when the text could not be written (nobody is reading any more).
    @discardableResult
    public func write(_ data: Data) -> Bool {
        let handle = self == .output ? FileHandle.standardOutput : FileHandle.standardError
        do {
            try handle.write(contentsOf: data)
            return true
        } catch {
            return false
        }
    }

    @discardableResult
    public func write(_ text: String) -> Bool { write(Data(text.utf8)) }
}
