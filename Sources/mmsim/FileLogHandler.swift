import ArgumentParser
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An append-only log file shared by every logger of the process. A failed write (a full disk, a device that
/// refuses) never stops the process: the line is dropped and counted, the first failure is reported once on
/// standard error, and the count goes into the log as soon as a write works again.
final class FileLogSink: Sendable {
    private struct State {
        var descriptor: Int32
        var dropped = 0
        var reported = false
    }

    private let path: String
    private let state: Mutex<State>

    init(path: String) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            let reason = code == EISDIR ? "it is a folder" : String(cString: strerror(code))
            throw ValidationError("--log-file \(path): cannot open it for writing: \(reason).")
        }
        state = Mutex(State(descriptor: fd))
    }

    /// Lines dropped so far because the file refused them.
    var droppedLines: Int { state.withLock { $0.dropped } }

    func write(_ line: String) {
        let failure: Int32? = state.withLock { state in
            if state.dropped > 0, Self.writeAll(state.descriptor, "(\(state.dropped) log lines dropped: the log file refused them)\n") == nil {
                state.dropped = 0
            }
            guard let code = Self.writeAll(state.descriptor, line) else { return nil }
            state.dropped += 1
            if state.reported { return nil }
            state.reported = true
            return code
        }
        if let failure {
            let message = "mmsim: cannot write the log file \(path) (\(String(cString: strerror(failure)))); log lines are dropped and counted\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
    }

    /// nil when every byte was written, else the errno of the failure.
    private static func writeAll(_ fd: Int32, _ text: String) -> Int32? {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if written == 0 { return EIO }
            offset += written
        }
        return nil
    }
}

struct FileLogHandler: LogHandler {
    let label: String
    let sink: FileLogSink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, sink: FileLogSink) {
        self.label = label
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter().string(from: Date())
        sink.write("\(stamp) \(event.level) \(label):\(meta) \(event.message)\n")
    }
}
