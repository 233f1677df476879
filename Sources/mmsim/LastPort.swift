import Device
import EmbeddedServer
import Foundation

/// The port the app's embedded server last listened on, kept in its data folder so that the next start can
/// take it again when the default port is taken.
enum LastPort {
    static let fileName = DataFolderLock.serverPortFileName

    /// Only a small regular file is read: a FIFO there would block the start for good, a link to /dev/zero fill memory.
    static func read(_ folder: URL) -> Int? {
        let path = folder.appendingPathComponent(fileName).path
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= 16,
              let data = FileManager.default.contents(atPath: path),
              let port = Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              (1...65_535).contains(port) else { return nil }
        return port
    }

    /// Best effort: without the file the next start just picks a free port. Replaced, never written through:
    /// whatever sits there (a FIFO would block the write) becomes a plain file.
    static func write(_ port: Int, _ folder: URL) {
        try? AtomicFile.write(Data("\(port)\n".utf8), to: folder.appendingPathComponent(fileName))
    }
}
