import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits for something to appear in a folder: inotify wakes the wait when an entry is created, so nothing polls.
public final class FolderWatch {
    private let folder: URL
    private let fd: Int32

    /// Watch from now on: start watching before starting what will create the entry.
    public init(_ folder: URL) {
        self.folder = folder
        fd = inotify_init1(Int32(IN_CLOEXEC))
        if fd >= 0 { _ = inotify_add_watch(fd, folder.path, UInt32(IN_CREATE | IN_MOVED_TO)) }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// True once the folder has an entry; false at the deadline.
    public func waitUntilNotEmpty(timeoutSeconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path), !entries.isEmpty { return true }
            let left = deadline.timeIntervalSinceNow
            guard fd >= 0, left > 0 else { return false }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(left * 1000)) > 0 else { continue }
            _ = read(fd, &buffer, buffer.count)
        }
    }
}
