import ArgumentParser
import EmbeddedServer
import Foundation

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Wipe a data folder: server database, seeded accounts, sessions and posts.",
        discussion: "Asks for confirmation unless --yes. Refuses while a running mmsim uses the folder."
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("data"), help: "Data folder (default: $XDG_DATA_HOME/mmsim or ~/.local/share/mmsim).")
    var data: String?

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        try global.bootstrapLogging()
        let folder = data.map { URL(fileURLWithPath: $0) } ?? EmbeddedServer.defaultDataDirectory()
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder.path) else {
            print("Nothing to reset: \(folder.path) does not exist.")
            return
        }
        // Only wipe what looks like an mmsim folder, so a mistyped --data never empties someone's home.
        let markers = [DataFolderLock.fileName, "mmsim.sqlite"]
        guard markers.contains(where: { manager.fileExists(atPath: folder.appendingPathComponent($0).path) }) else {
            fail("\(folder.path) does not look like an mmsim data folder; not touching it.")
        }
        let lock: DataFolderLock
        do {
            lock = try DataFolderLock.acquire(folder)
        } catch {
            fail("\(error). Stop it first.")
        }
        defer { lock.release() }

        if !yes {
            FileHandle.standardOutput.write(Data("Wipe everything in \(folder.path)? [y/N] ".utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                print("Aborted; nothing was removed.")
                throw ExitCode(1)
            }
        }
        for item in try manager.contentsOfDirectory(atPath: folder.path) where item != DataFolderLock.fileName {
            try manager.removeItem(at: folder.appendingPathComponent(item))
        }
        print("Wiped \(folder.path).")
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("mmsim reset: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
