import ArgumentParser
import Device
import EmbeddedServer
import Foundation
import Logging
import MattermostClient
import MattermostModel
import Scenario
import TerminalUI

/// `mmsim` with no subcommand: the embedded server, phones and the System Console in one terminal UI.
struct InteractiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Open the interactive app: phones, System Console and timeline (the default command).",
        discussion: "Keys: \(KeyMap.summary). Against --server, the console signs in as $MMSIM_ADMIN_USER with "
            + "$MMSIM_ADMIN_PASSWORD, or asks for the password before the UI starts."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Number of phones, side by side; phone N logs in as user-N.")
    var devices = 1

    @Option(help: "A real Mattermost server URL instead of the embedded server.")
    var server: String?

    @Option(name: .customLong("ca-file"), help: "PEM file of CA certificates trusted for an https --server, in addition to the system's.")
    var caFile: String?

    @Option(help: "Port for the embedded server; if 8065 is taken a free port is used.")
    var port = 8065

    @Option(name: .customLong("data"), help: "Data folder (default: $XDG_DATA_HOME/mmsim or ~/.local/share/mmsim).")
    var data: String?

    @Option(help: ArgumentHelp("Every phone's network profile at start (F7 cycles it): \(NetworkProfile.names.joined(separator: ", ")).",
                               valueName: "profile"))
    var network: String = NetworkProfile.online.rawValue

    var networkProfile: NetworkProfile { NetworkProfile(rawValue: network) ?? .online }

    @Option(help: AppOption.help)
    var app: AppModel = .reference

    @Flag(help: "Use a temporary data folder, removed on exit.")
    var ephemeral = false

    @Option(help: "Prefill the first phone's username.")
    var user: String?

    @Flag(help: "Draw with ASCII only (automatic when the locale is not UTF-8).")
    var ascii = false

    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .customLong("open-console"), help: "Open the web System Console in the desktop's browser (xdg-open).")
    var openConsole = false

    func validate() throws {
        if ephemeral && data != nil { throw ValidationError("--data and --ephemeral cannot be used together.") }
        guard (1...8).contains(devices) else { throw ValidationError("--devices must be between 1 and 8.") }
        try OptionRange.check(port, "--port", in: OptionRange.port)
        if let server {
            if let problem = ServerOption.problem(server) { throw ValidationError(problem) }
        } else if caFile != nil {
            throw ValidationError("--ca-file only applies with --server.")
        }
        do { _ = try ServerOption.trust(caFile: caFile) } catch { throw ValidationError("\(error).") }
        guard NetworkProfile(rawValue: network) != nil else {
            throw ValidationError("--network expects one of \(NetworkProfile.names.joined(separator: ", ")), got '\(network)'.")
        }
        if let user, user.isEmpty || user.count > 64 { throw ValidationError("--user must be a username.") }
    }

    func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            StandardStream.error.write("mmsim: the interactive app needs a terminal; for scripts use `mmsim serve` or a scenario.\n")
            throw ExitCode(2)
        }
        if let problem = TerminalType.problem(ProcessInfo.processInfo.environment["TERM"]) {
            StandardStream.error.write("mmsim: \(problem).\n")
            throw ExitCode(2)
        }
        let folder = ephemeral
            ? FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-\(UUID().uuidString)")
            : data.map { URL(fileURLWithPath: $0) } ?? EmbeddedServer.defaultDataDirectory()
        defer { if ephemeral { try? FileManager.default.removeItem(at: folder) } }
        // Until the terminal takes the signals, one while the server starts must not leave an ephemeral folder.
        let guardian = ephemeral ? RemoveOnSignal(folder) : nil
        defer { guardian?.cancel() }
        do {
            try DataFolderLock.checkUsable(folder)
            try PrivateFolder.make(folder)
        } catch {
            StandardStream.error.write("mmsim: \(error)\n")
            throw ExitCode(2)
        }
        try global.bootstrapLogging(fallbackFile: folder.appendingPathComponent("mmsim.log").path)

        let clock = SimClock(mode: .wall)
        let session = try await InteractiveSession.start(options: self, folder: folder, clock: clock)
        if openConsole { session.app.post(.status(ConsoleOpener.open(server: session.simulation.serverURL))) }
        let color = !noColor && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        await session.run(color: color, ascii: ascii, onTerminalReady: { guardian?.handOver() })
        await session.stop()
    }
}
