import ArgumentParser
import Foundation
import MattermostModel

@main
struct MMSim: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "mmsim",
        abstract: "Simulates the Mattermost mobile app to test session revocation (MM-T941).",
        version: version,
        subcommands: [InteractiveCommand.self, ServeCommand.self, ResetCommand.self, UnlockCommand.self, RunCommand.self, DemoCommand.self, FleetCommand.self, SoakCommand.self, CrashWriterCommand.self],
        defaultSubcommand: InteractiveCommand.self
    )

    /// As ArgumentParser's, except that bad flags exit with 2 (its default, 64, surprises shell scripts).
    /// A reader that goes away (`| head`, a parent that died) makes writes fail instead of killing the process
    /// with SIGPIPE: a run still finishes, writes its reports and exits with its own status.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardStream.error.write(fullMessage(for: error) + "\n")
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
