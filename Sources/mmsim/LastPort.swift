import EmbeddedServer
import Foundation
import Scenario

/// The port the app's embedded server last listened on, kept in its data folder so that the next start can
/// take it again when the default port is taken.
enum LastPort {
    static let fileName = DataFolderLock.serverPortFileName

    static func read(_ folder: URL) -> Int? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(fileName).path),
              let port = Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              (1...65_535).contains(port) else { return nil }
        return port
    }

    /// Best effort: without the file the next start just picks a free port.
    static func write(_ port: Int, _ folder: URL) {
        try? OutputFile.write(Data("\(port)\n".utf8), to: folder.appendingPathComponent(fileName).path)
    }
}
