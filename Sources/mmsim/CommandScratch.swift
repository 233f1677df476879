import Device
import Foundation

/// One command's scratch folder under `ScratchRoot`: private, removed at the end and on a signal that ends the
/// command. A scratch root that cannot hold it ($TMPDIR missing, read-only, full) is the environment's: exit 2,
/// before anything runs, instead of phones failing for a reason that is not theirs.
enum CommandScratch {
    static func with<T>(prefix: String, _ body: (URL) async throws -> T) async throws -> T {
        let root = ScratchRoot.url
        let scratch = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        // The guardian first: a signal the moment the folder exists must still find someone to remove it.
        let guardian = RemoveOnSignal(scratch)
        defer {
            guardian.cancel()
            try? FileManager.default.removeItem(at: scratch)
        }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            // A folder that takes no file (a full disk) fails here rather than inside a phone.
            try Data("ok".utf8).write(to: scratch.appendingPathComponent(".probe"))
            try FileManager.default.removeItem(at: scratch.appendingPathComponent(".probe"))
        } catch {
            throw RunUsage.error("cannot use \(root.path) for scratch files (set TMPDIR to a writable folder): "
                                 + Self.reason(error))
        }
        return try await body(scratch)
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain, let text = strerror(Int32(code)) {
            return String(cString: text)
        }
        return error.localizedDescription
    }
}
