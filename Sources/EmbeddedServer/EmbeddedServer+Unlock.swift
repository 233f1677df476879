import Foundation

/// Clearing a login lockout: in process (the System Console's action) or on a stopped server's data folder (CLI).
extension EmbeddedServer {
    /// Resets the user's failed login attempts; false when no such user exists.
    public func unlock(username: String) async throws -> Bool {
        try await store.unlock(loginID: username)
    }

    /// The same on a data folder no running mmsim holds.
    public static func unlock(username: String, dataDirectory: URL) throws -> Bool {
        let lock: DataFolderLock
        do {
            lock = try DataFolderLock.acquire(dataDirectory)
        } catch DataFolderLock.Failure.locked {
            throw EmbeddedServerError.dataFolderInUse(dataDirectory)
        }
        defer { lock.release() }
        let store = try Store(directory: dataDirectory)
        do {
            return try store.db.write { db in try Store.unlock(loginID: username, db) }
        } catch {
            throw StoreIntegrity.translate(error, directory: dataDirectory)
        }
    }
}
