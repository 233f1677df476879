import ArgumentParser

@main
struct MMSim: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "mmsim",
        abstract: "Simulates the Mattermost mobile app to test session revocation (MM-T941).",
        version: version,
        subcommands: [ServeCommand.self, ResetCommand.self],
        defaultSubcommand: nil
    )
}
