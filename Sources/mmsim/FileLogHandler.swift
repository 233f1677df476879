import ArgumentParser
import Foundation
import Logging
import Scenario
import Synchronization
#if canImport(Glibc)
import Glibc
import MattermostModel
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
        // Through PrivateFolder: a signal removing an ephemeral folder while the log opens must not see it made
        // again behind it. A folder that exists keeps its mode.
        if !FileManager.default.fileExists(atPath: folder.path) { try? PrivateFolder.make(folder) }
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
            let note = "(\(state.dropped) log lines dropped: the log file refused them)\n"
            if state.dropped > 0, OutputFile.writeAll(state.descriptor, Data(note.utf8)) == nil {
                state.dropped = 0
            }
            guard let code = OutputFile.writeAll(state.descriptor, Data(line.utf8)) else { return nil }
            state.dropped += 1
            if state.reported { return nil }
            state.reported = true
            return code
        }
        if let failure {
            let message = "mmsim: cannot write the log file \(path) (\(String(cString: strerror(failure)))); log lines are dropped and counted\n"
            StandardStream.error.write(message)
        }
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
