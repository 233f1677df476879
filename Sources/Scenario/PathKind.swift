import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a path given on the command line is, said plainly when it cannot be a scenario file or folder —
/// and never opened when it is a FIFO or a device, where a read could block forever or never end.
public enum PathKind {
    public struct Unreadable: Error {
        public var message: String
    }

    /// nil: a regular file or a folder (through symbolic links); else why it is neither.
    public static func problem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ELOOP { return "a loop of symbolic links" }
            var link = stat()
            if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                return "a symbolic link to \(target), which does not exist"
            }
            return code == ENOENT ? "no such file or folder" : "cannot open: \(String(cString: strerror(code)))"
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a FIFO (named pipe), not a scenario file"
        case S_IFCHR, S_IFBLK: return "a device, not a scenario file"
        case S_IFSOCK: return "a socket, not a scenario file"
        default: return "not a regular file"
        }
    }

    /// The largest scenario file read: hundreds of times the biggest real one, and parsed in about a second
    /// (a 100 MB file took minutes and gigabytes).
    public static let maxScenarioBytes = 1 << 20

    /// A scenario (or env) file's text: a clear reason when it cannot be read, is too large, or is not UTF-8.
    public static func readText(_ path: String) -> Result<String, Unreadable> {
        if let problem = problem(path) { return .failure(Unreadable(message: problem)) }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            return .failure(Unreadable(message: "a folder, not a scenario file"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = access(path, R_OK) == 0 ? "cannot read the file" : "cannot read the file: permission denied"
            return .failure(Unreadable(message: reason))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte more than allowed tells a file at the limit from a larger one (which may still be growing).
            data = try handle.read(upToCount: maxScenarioBytes + 1) ?? Data()
        } catch {
            return .failure(Unreadable(message: "cannot read the file"))
        }
        guard data.count <= maxScenarioBytes else {
            let size = Int64(info.st_size) > Int64(maxScenarioBytes) ? "\(info.st_size) bytes" : "more than 1 MiB"
            return .failure(Unreadable(message: "the file is too large (\(size)); scenario and env files may be at most 1 MiB"))
        }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a UTF-8 byte order mark
        guard let text = String(data: bytes, encoding: .utf8) else {
            return .failure(Unreadable(message: "the file is not UTF-8 text"))
        }
        return .success(text)
    }
}
