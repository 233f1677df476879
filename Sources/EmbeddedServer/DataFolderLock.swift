import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `FOLDER/mmsim.lock`, so two mmsim processes never share one data folder.
/// The kernel drops the lock when the process dies, so a crash never leaves a stale lock behind.
public final class DataFolderLock: Sendable {
    public static let fileName = "mmsim.lock"

    public enum Failure: Error, CustomStringConvertible {
        case locked(URL)
        case cannotOpen(URL, errno: Int32)

        public var description: String {
            switch self {
            case .locked(let folder):
                return "the data folder \(folder.path) is in use by another mmsim process"
            case .cannotOpen(let folder, let code):
                return "cannot open a lock file in \(folder.path): \(String(cString: strerror(code)))"
            }
        }
    }

    public let folder: URL
    private let descriptor: Mutex<Int32>

    private init(folder: URL, descriptor: Int32) {
        self.folder = folder
        self.descriptor = Mutex(descriptor)
    }

    /// Creates the folder (0700) if needed and takes the lock without waiting.
    public static func acquire(_ folder: URL) throws -> DataFolderLock {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = folder.appendingPathComponent(fileName).path
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure.cannotOpen(folder, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { throw Failure.locked(folder) }
            throw Failure.cannotOpen(folder, errno: code)
        }
        return DataFolderLock(folder: folder, descriptor: fd)
    }

    /// True when some process holds the lock on that folder right now.
    public static func isLocked(_ folder: URL) -> Bool {
        let path = folder.appendingPathComponent(fileName).path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    public func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
