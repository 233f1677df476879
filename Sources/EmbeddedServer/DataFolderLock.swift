import Foundation
import MattermostModel
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
/// Taking it also makes the folder an mmsim data folder: private (0700, the database 0600), and only where
/// that is safe — never in a file, nor in a non-empty folder of someone else's.
public final class DataFolderLock: Sendable {
    public static let fileName = "mmsim.lock"
    /// The interactive app's last server port, reused when the default port is taken.
    public static let serverPortFileName = "server-port"

    /// What mmsim keeps in a data folder; `mmsim reset` removes these and nothing else.
    public static let ownedNames: Set<String> = [
        fileName, Store.fileName, Store.fileName + "-wal", Store.fileName + "-shm", Store.fileName + "-journal",
        "mmsim.log", "phones", serverPortFileName, timelinesFolderName,
    ]
    /// Where the app saves the phones' timelines (`w`, and on quitting): mmsim's, but kept by `mmsim reset`.
    public static let timelinesFolderName = "timelines"

    public enum Failure: Error, CustomStringConvertible {
        case locked(URL)
        case cannotOpen(URL, errno: Int32)
        case notAFolder(URL)
        case foreignFolder(URL)

        public var description: String {
            switch self {
            case .locked(let folder):
                return "the data folder \(folder.path) is in use by another mmsim process"
            case .cannotOpen(let folder, let code):
                return "cannot open a lock file in \(folder.path): \(String(cString: strerror(code)))"
            case .notAFolder(let path):
                return "the data folder \(path.path) is not a folder"
            case .foreignFolder(let folder):
                return "\(folder.path) is not empty and is not an mmsim data folder; give an empty or new folder"
            }
        }
    }

    /// A folder some mmsim has used: it holds the lock file or the server database.
    public static func isDataFolder(_ folder: URL) -> Bool {
        [fileName, Store.fileName].contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }

    public let folder: URL
    private let descriptor: Mutex<Int32>

    private init(folder: URL, descriptor: Int32) {
        self.folder = folder
        self.descriptor = Mutex(descriptor)
    }

    /// Creates the folder (0700) if needed, makes it and the database private, and takes the lock without waiting.
    /// `preparing` (for a server): the folder made private and the database file made before SQLite opens it.
    /// Without (`mmsim reset`, which may yet be answered "no"), only the lock is taken: nothing else changes.
    public static func acquire(_ folder: URL, preparing: Bool = true) throws -> DataFolderLock {
        try checkUsable(folder)
        if preparing { try PrivateFolder.make(folder) }
        let path = folder.appendingPathComponent(fileName).path
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure.cannotOpen(folder, errno: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { throw Failure.locked(folder) }
            throw Failure.cannotOpen(folder, errno: code)
        }
        let lock = DataFolderLock(folder: folder, descriptor: fd)
        if preparing { try makeDatabasePrivate(folder) }
        return lock
    }

    /// Missing, empty, or an mmsim data folder already: anything else is refused before mmsim writes there.
    public static func checkUsable(_ folder: URL) throws(Failure) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw Failure.notAFolder(folder) }
        let items = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        // Only files mmsim makes (the app opens its log before its server takes the folder) is mmsim's too.
        guard items.allSatisfy(ownedNames.contains) || isDataFolder(folder) else { throw Failure.foreignFolder(folder) }
    }

    /// The database file exists as 0600 before SQLite opens it: SQLite gives its -wal and -shm files the same mode,
    /// and an empty file is an empty database.
    static func makeDatabasePrivate(_ folder: URL) throws {
        let path = folder.appendingPathComponent(Store.fileName).path
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Failure.cannotOpen(folder, errno: errno) }
        fchmod(fd, 0o600)
        close(fd)
        for suffix in ["-wal", "-shm", "-journal"] { chmod(path + suffix, 0o600) }
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
