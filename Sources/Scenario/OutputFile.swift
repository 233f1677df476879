import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a report, log or recording to the path a user gave. A regular file (or a new one) is replaced
/// atomically (a temp file in the same folder, then rename), keeping the old file's mode; a symbolic link is
/// written through (its target is replaced, the link stays); anything else (a device, a FIFO, `>(cat)`'s
/// /dev/fd/N) is opened and written in place, since renaming over it would replace the node itself.
public enum OutputFile {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Before a long run: the reasons a later write would surely fail (an empty path, a folder, a missing or
    /// unwritable folder), so that the user hears of them at once, not after the run.
    public static func checkUsable(_ path: String) throws(Failure) {
        guard !path.isEmpty else { throw Failure(path: "\"\"", reason: "the path is empty") }
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, reason: "it is a folder") }
            guard access(path, W_OK) == 0 else { throw failure(path, errno) }
            // A regular file is replaced through a temp file beside it; a device or FIFO is written in place.
            guard (info.st_mode & S_IFMT) == S_IFREG, let resolved = realpath(path, nil) else { return }
            defer { free(resolved) }
            return try probe(folder: URL(fileURLWithPath: String(cString: resolved)).deletingLastPathComponent().path, for: path)
        }
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        // The nearest existing ancestor must be a folder we may write in (missing ones are created).
        while stat(folder, &info) != 0, folder != "/" { folder = URL(fileURLWithPath: folder).deletingLastPathComponent().path }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw Failure(path: path, reason: "\(folder) is not a folder") }
        guard access(folder, W_OK) == 0 else { throw Failure(path: path, reason: "its folder \(folder) is not writable") }
        try probe(folder: folder, for: path)
    }

    /// Makes and removes a file in the folder: permission bits say nothing of /proc, a read-only mount or root.
    static func probe(folder: String, for path: String) throws(Failure) {
        let probe = URL(fileURLWithPath: folder).appendingPathComponent(".mmsim-probe-\(UUID().uuidString)").path
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            throw Failure(path: path, reason: "its folder \(folder) takes no new file (\(String(cString: strerror(code))))")
        }
        close(fd)
        unlink(probe)
    }

    public static func write(_ data: Data, to path: String) throws(Failure) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, reason: "it is a folder") }
                return try writeInPlace(data, to: path)
            }
            // Through any symbolic links, to the file they name.
            guard let resolved = realpath(path, nil) else { throw failure(path, errno) }
            defer { free(resolved) }
            return try replace(String(cString: resolved), with: data, mode: info.st_mode & 0o7777)
        }
        let missing = errno
        var link = stat()
        if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
            // A link to a file that does not exist yet: create the target through the link.
            return try writeInPlace(data, to: path, create: true)
        }
        guard missing == ENOENT else { throw failure(path, missing) }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: path, reason: "cannot create its folder \(folder.path)")
        }
        try replace(path, with: data, mode: 0o644)
    }

    static func replace(_ path: String, with data: Data, mode: mode_t) throws(Failure) {
        let temp = URL(fileURLWithPath: path).deletingLastPathComponent()
            .appendingPathComponent(".\(URL(fileURLWithPath: path).lastPathComponent).tmp-\(UUID().uuidString)").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path, errno) }
        var closed = false
        defer {
            if !closed { close(fd) }
            unlink(temp)
        }
        if let code = writeAll(fd, data) { throw failure(path, code) }
        fchmod(fd, mode)
        guard fsync(fd) == 0 else { throw failure(path, errno) }
        closed = true
        guard close(fd) == 0 else { throw failure(path, errno) }
        guard rename(temp, path) == 0 else { throw failure(path, errno) }
    }

    static func writeInPlace(_ data: Data, to path: String, create: Bool = false) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0), 0o644)
        guard fd >= 0 else { throw failure(path, errno) }
        if let code = writeAll(fd, data) {
            close(fd)
            throw failure(path, code)
        }
        guard close(fd) == 0 else { throw failure(path, errno) }
    }

    /// nil when every byte was written, else the errno of the failure.
    public static func writeAll(_ fd: Int32, _ data: Data) -> Int32? {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { buffer in
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

    /// A report asked for on stdout (`-`). A reader that went away (EPIPE) took what it wanted; a full disk or a
    /// closed stdout lost the report, which is as much a failure as an unwritable file.
    public static func writeStandardOutput(_ data: Data) throws(Failure) {
        guard let code = writeAll(STDOUT_FILENO, data), code != EPIPE else { return }
        throw failure("standard output", code)
    }

    static func failure(_ path: String, _ code: Int32) -> Failure {
        Failure(path: path, reason: String(cString: strerror(code)))
    }
}
