import ArgumentParser
import EmbeddedServer
import Foundation
import MattermostModel

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Wipe a data folder: server database, seeded accounts, sessions and posts.",
        discussion: "Asks for confirmation unless --yes. Refuses while a running mmsim uses the folder. Removes only mmsim's own files."
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
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
            print("Nothing to reset: \(folder.path) does not exist.")
            return
        }
        guard isFolder.boolValue else { fail("\(folder.path) is not a folder; not touching it.") }
        // Only wipe what looks like an mmsim folder, so a mistyped --data never empties someone's home.
        guard DataFolderLock.isDataFolder(folder) else {
            fail("\(folder.path) does not look like an mmsim data folder; not touching it.")
        }
        let lock: DataFolderLock
        do {
            lock = try DataFolderLock.acquire(folder, preparing: false)
        } catch {
            fail("\(error). Stop it first.")
        }
        defer { lock.release() }

        if !yes {
            StandardStream.output.write("Wipe mmsim's files in \(folder.path)? [y/N] ")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                print("Aborted; nothing was removed.")
                throw ExitCode(1)
            }
        }
        let items = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        let kept: Set<String> = [DataFolderLock.fileName, DataFolderLock.timelinesFolderName]
        for item in items where DataFolderLock.ownedNames.contains(item) && !kept.contains(item) {
            do {
                try manager.removeItem(at: folder.appendingPathComponent(item))
            } catch {
                fail("cannot remove \(folder.appendingPathComponent(item).path): \(error.localizedDescription)")
            }
        }
        let others = items.filter { !DataFolderLock.ownedNames.contains($0) }.sorted()
        var report = "Wiped \(folder.path)."
        if items.contains(DataFolderLock.timelinesFolderName) {
            report += " Kept the saved timelines in \(DataFolderLock.timelinesFolderName)/."
        }
        if !others.isEmpty { report += " Left what mmsim did not make: \(others.joined(separator: ", "))." }
        print(report)
    }

    private func fail(_ message: String) -> Never {
        StandardStream.error.write("mmsim reset: \(message)\n")
        Foundation.exit(2)
    }
}
