import ArgumentParser
import EmbeddedServer
import Foundation
import MattermostModel
import Scenario
import TerminalUI

/// Clears a lockout after too many wrong passwords (Mattermost's MaximumLoginAttempts), on a stopped server.
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Clear a user's failed login attempts (locked after MaximumLoginAttempts, 10).",
        discussion: "Works on the data folder of a stopped server; a running one is unlocked from its System Console."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Username or email.")
    var user: String

    @Option(name: .customLong("data"), help: "Data folder (default: $XDG_DATA_HOME/mmsim or ~/.local/share/mmsim).")
    var data: String?

    func run() async throws {
        try global.bootstrapLogging()
        let folder = data.map { URL(fileURLWithPath: $0) } ?? EmbeddedServer.defaultDataDirectory()
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("mmsim.sqlite").path) else {
            StandardStream.error.write("mmsim unlock: no mmsim database in \(folder.path)\n")
            throw ExitCode(2)
        }
        do {
            guard try EmbeddedServer.unlock(username: user, dataDirectory: folder) else {
                StandardStream.error.write("mmsim unlock: no user '\(OutputText.escape(user))' in \(folder.path)\n")
                throw ExitCode(2)
            }
            print("Unlocked \(user): failed login attempts cleared.")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            StandardStream.error.write("mmsim unlock: \(error)\n")
            throw ExitCode(2)
        }
    }
}
