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

    /// A scenario file's text: a clear reason when it cannot be read, is empty, or is not UTF-8.
    public static func readText(_ path: String) -> Result<String, Unreadable> {
        if let problem = problem(path) { return .failure(Unreadable(message: problem)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = access(path, R_OK) == 0 ? "cannot read the file" : "cannot read the file: permission denied"
            return .failure(Unreadable(message: reason))
        }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a UTF-8 byte order mark
        guard let text = String(data: bytes, encoding: .utf8) else {
            return .failure(Unreadable(message: "the file is not UTF-8 text"))
        }
        return .success(text)
    }
}
