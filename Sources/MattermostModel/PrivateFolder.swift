import Foundation

/// Every folder mmsim makes for its own files (phones, a server's data, logs): 0700, parents made as needed, and
/// all under one lock, so that a process about to die of a signal can stop anything being made again behind the
/// removal of its scratch folder.
public enum PrivateFolder {
    public static func make(_ folder: URL) throws {
        making.lock()
        defer { making.unlock() }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        chmod(folder.path, 0o700)
    }

    /// No folder is made after this: the lock is never given back (the process is about to end).
    public static func stopMaking() {
        making.lock()
    }

    private static let making = NSLock()
}
