import ArgumentParser
import Device
import Dispatch
import EmbeddedServer
import Fleet
import Foundation
import Logging
import MattermostModel
import Synchronization

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the embedded Mattermost-compatible server.",
        discussion: """
            Serves the Mattermost API v4 subset mmsim needs (login, sessions, revocation, teams, channels, \
            posts, WebSocket) on 127.0.0.1. A new data folder is seeded with team "QA" (qa), channels \
            Town Square and Off-Topic, and these accounts:

            \(SeedAccounts.all.map { "  \($0.username) / \($0.password)  (\($0.roles))" }.joined(separator: "\n"))

            Passwords are stored as bcrypt (cost 10, as Mattermost). Stop with Ctrl-C or SIGTERM.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free port.")
    var port = 8065

    @Option(name: .customLong("data"), help: "Data folder (default: $XDG_DATA_HOME/mmsim or ~/.local/share/mmsim).")
    var data: String?

    @Flag(help: "Use a temporary data folder, removed on exit.")
    var ephemeral = false

    @Option(help: "Mattermost's SessionLengthMobileInHours.")
    var sessionLengthMobileHours = 720

    /// Accounts for fleets that share this server (`mmsim fleet --server URL --shard I/N`).
    @Option(help: "Also create user-1…user-N (password \(SeedAccounts.userPassword)) for `mmsim fleet --server`. With --ephemeral only: the server then hashes passwords at bcrypt cost 4, as a fleet's own server does.")
    var users: Int?

    /// `mmsim fleet`'s own server process (FleetServerChild): in memory, user-1…user-N, exits at end of stdin.
    @Option(help: .hidden)
    var fleetUsers: Int?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain (leaf first): serve https and wss instead of http. Needs --tls-key.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    func validate() throws {
        if ephemeral && data != nil { throw ValidationError("--data and --ephemeral cannot be used together.") }
        try OptionRange.check(port, "--port", in: OptionRange.port)
        guard Self.isPlausibleHost(host) else {
            throw ValidationError("--host expects an IP address or a host name, e.g. 127.0.0.1, ::1 or localhost; got '\(host)'.")
        }
        try OptionRange.check(sessionLengthMobileHours, "--session-length-mobile-hours", in: OptionRange.sessionLengthMobileHours)
        if let fleetUsers { try OptionRange.check(fleetUsers, "--fleet-users", in: OptionRange.fleetDevices) }
        if let users {
            try OptionRange.check(users, "--users", in: OptionRange.fleetDevices)
            guard ephemeral else { throw ValidationError("--users needs --ephemeral (its accounts are throwaway ones).") }
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together.") }
    }

    /// Dotted digits must be an IPv4 address, anything with a colon an IPv6 one; names are looked up at bind.
    static func isPlausibleHost(_ host: String) -> Bool {
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else { return false }
        var address = in6_addr()
        if host.contains(":") { return inet_pton(AF_INET6, host, &address) == 1 }
        if host.allSatisfy({ $0.isNumber || $0 == "." }) { return inet_pton(AF_INET, host, &address) == 1 }
        return true
    }

    func run() async throws {
        try global.bootstrapLogging()
        if let fleetUsers {
            return try await FleetServerChild.run(users: fleetUsers, host: host, port: port,
                                                  sessionLengthMobileHours: sessionLengthMobileHours)
        }
        let folder: URL
        if ephemeral {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-\(UUID().uuidString)")
        } else {
            folder = data.map { URL(fileURLWithPath: $0) } ?? EmbeddedServer.defaultDataDirectory()
        }
        defer { if ephemeral { try? FileManager.default.removeItem(at: folder) } }
        // From before the folder exists: a signal while the server starts ends the process (nothing to stop
        // gracefully yet) and takes an ephemeral folder with it; once it listens, a graceful stop.
        let running = Mutex<EmbeddedServer?>(nil)
        let signals = ShutdownSignals { number in
            guard let server = running.withLock({ $0 }) else {
                RemoveOnSignal.remove(ephemeral ? folder : nil, thenDieOf: number)
            }
            Task { await server.stop() }
        }

        var config = ServerConfiguration(host: host, port: port, dataDirectory: folder,
                                         sessionLengthMobileHours: sessionLengthMobileHours)
        if let tlsCert, let tlsKey { config.tls = ServerTLS(certificateFile: tlsCert, privateKeyFile: tlsKey) }
        let server: EmbeddedServer
        do {
            if let users {
                // Thousands of logins: a cost-10 bcrypt each would take the server's CPU for minutes.
                config.bcryptCost = 4
                _ = ProcessResources.raiseOpenFilesLimit(wanted: users + 256)
                server = try await EmbeddedServer.start(config, runUsers: users, logger: Logger(label: "mmsim.server"))
            } else {
                server = try await EmbeddedServer.start(config, logger: Logger(label: "mmsim.server"))
            }
        } catch {
            // Whatever stops the start (port, folder, a damaged database) is the environment's: say it, exit 2.
            StandardStream.error.write("mmsim serve: \(error)\n")
            throw ExitCode(2)
        }

        running.withLock { $0 = server }
        let location = ephemeral ? "\(folder.path) (ephemeral, removed on exit)" : folder.path
        // FileHandle writes are unbuffered: the line shows at once even when stdout is a pipe.
        StandardStream.output.write("mmsim server listening on \(server.baseURL) — data in \(location)\n")
        await server.waitUntilStopped()
        await server.stop()  // releases the data folder lock
        signals.cancel()
    }
}

/// SIGINT / SIGTERM / SIGHUP → one graceful stop. Dispatch sources, because the default action would kill the
/// process before open WebSockets get their close frame.
final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ onSignal: @escaping @Sendable (Int32) -> Void) {
        sources = SignalSources.install(SignalSources.ending, handler: onSignal)
    }

    func cancel() {
        SignalSources.cancel(sources)
    }
}
