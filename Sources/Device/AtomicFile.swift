import Foundation
import MattermostModel
#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe file replacement with POSIX calls: write a temp file (0600), fsync it, rename over the target,
/// fsync the folder. Readers see the old file or the new one, never a torn one.
public enum AtomicFile {
    public static func ensurePrivateFolder(_ folder: URL) throws {
        try PrivateFolder.make(folder)
    }

    public static func write(_ data: Data, to url: URL) throws {
        let temp = url.path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw lastError() }
        // errno is read right where a call fails: close and unlink after it could change it.
        var failure: POSIXError?
        data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, base + offset, buffer.count - offset)
                if written < 0 { failure = lastError(); return }
                if written == 0 { failure = POSIXError(.EIO); return }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = lastError() }
        close(fd)
        if failure == nil, rename(temp, url.path) != 0 { failure = lastError() }
        if let failure {
            unlink(temp)
            throw failure
        }
        syncFolder(url.deletingLastPathComponent())
    }

    /// A process killed between creating its temp file and the rename leaves `NAME.tmp-PID-…` behind.
    /// Removes those whose writer is gone (never a live process's: two processes may share a folder).
    public static func removeAbandonedTemps(of url: URL) {
        let folder = url.deletingLastPathComponent()
        let prefix = url.lastPathComponent + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let pidText = name.dropFirst(prefix.count).prefix { $0 != "-" }
            guard let pid = pid_t(pidText), pid != getpid(), kill(pid, 0) == -1, errno == ESRCH else { continue }
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    public static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// errno as an error that says what it means ("No space left on device") and names no path.
    private static func lastError() -> POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}
