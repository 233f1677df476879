import ArgumentParser
import Foundation

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
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
