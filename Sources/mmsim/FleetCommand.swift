import Device
import ArgumentParser
import Fleet
import Scenario
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `mmsim fleet [run] …` runs a fleet, `mmsim fleet merge …` merges reports. A group, because a parent's options
/// would take the subcommand's (`--json` is in both).
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Run MM-T941 on many phones at once (fleet run, the default), or merge shards' reports (fleet merge).",
        subcommands: [FleetRunCommand.self, FleetMergeCommand.self],
        defaultSubcommand: FleetRunCommand.self
    )
}

struct FleetRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run MM-T941 on many phones at once: exit 0 every revocation detected, 1 a phone missed it, "
            + "2 bad usage or a server it cannot use.",
        discussion: """
            Every phone logs in (WebSocket open), goes into airplane mode; the admin revokes all sessions; minutes \
            pass; the phones come back online and must each show the login screen. Embedded: users user-1…user-N \
            are created for the run. With --server, users come from --credentials (username,password per line), \
            or are user-1…user-N with the sample password (as `mmsim serve --users N` makes them); the admin \
            from $MMSIM_ADMIN_USER / $MMSIM_ADMIN_PASSWORD. Latency is real (wall) time.

            Many processes, many machines: --shard I/N runs phones ⌊(I−1)·D/N⌋+1 … ⌊I·D/N⌋ of --devices D, \
            keeping their global names; `mmsim fleet merge` adds the --json reports up (docs/fleet-at-scale.md).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: AppOption.help)
    var app: AppModel = .reference

    @Option(help: "Number of phones, over all shards with --shard (default: one per credentials line).")
    var devices: Int?

    @Option(help: ArgumentHelp("Run the I-th of N slices of the phones (I from 1 to N).", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("all: revoke all sessions; users: each of this run's users; at=TIME: all, at an RFC 3339 "
                               + "instant every shard is given (default: users with --shard, else all).",
                               valueName: "all|users|at=TIME"))
    var revoke: String?

    @Option(help: ArgumentHelp("A real Mattermost server instead of the embedded one; checked before any phone "
                               + "starts (it answers GET /api/v4/system/ping, the admin can sign in).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("username,password per line (with --server).", valueName: "file.csv"))
    var credentials: String?

    @Option(help: "At most this many logins or reconnects in flight at once.")
    var concurrency: Int = 64

    @Option(help: ArgumentHelp("Write the report as JSON ('-' for stdout).", valueName: "file"))
    var json: String?

    @Option(help: "Seed of the order in which phones log in and reconnect.")
    var seed: UInt64 = 1

    @Option(help: "Real seconds a phase may take before waiting phones count as failed.")
    var phaseTimeout: Double = 120

    func validate() throws {
        if let devices { try OptionRange.check(devices, "--devices", in: OptionRange.fleetDevices) }
        try OptionRange.check(concurrency, "--concurrency", in: OptionRange.fleetConcurrency)
        try OptionRange.check(phaseTimeout, "--phase-timeout", in: OptionRange.phaseTimeoutSeconds, unit: "seconds")
        if let revoke {
            do throws(FleetRevokeError) { _ = try FleetRevoke.parse(revoke) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() async throws {
        try global.bootstrapLogging()
        var options = try makeOptions()
        if isatty(STDERR_FILENO) == 1 { options.progress = FleetProgress() }
        // The embedded server runs as a child of this same binary, so that each process holds one end of each socket.
        if options.serverURL == nil { options.serverExecutable = Bundle.main.executableURL }
        if case .at(let date) = options.revoke {
            // The wait can be long and is otherwise silent: say when, so a wrong TIME shows before it costs the wait.
            let seconds = max(0, Int(date.timeIntervalSinceNow.rounded()))
            RunUsage.stderr("mmsim fleet: revoking all sessions at \(options.revoke.label.dropFirst(3)), in "
                            + "\(seconds / 3600) h \(seconds % 3600 / 60) min \(seconds % 60) s (Ctrl-C stops the run)")
        }
        let report: FleetReport
        do {
            report = try await FleetRunner.run(options)
        } catch {
            options.progress?.finish()
            throw RunUsage.error("fleet: \(error)")
        }
        try report.publish(json: json)
    }

    func makeOptions() throws -> FleetOptions {
        var options: FleetOptions
        if let server {
            if let problem = ServerOption.problem(server) { throw RunUsage.error(problem) }
            var accounts: [FleetCredential] = []
            if let credentials {
                do {
                    accounts = try FleetCredentials.load(path: credentials)
                } catch {
                    throw RunUsage.error("\(error)")
                }
            } else if devices == nil {
                throw RunUsage.error("--server needs --credentials FILE.csv, or --devices N to log in as user-1…user-N")
            }
            let environment = ProcessInfo.processInfo.environment
            guard let adminUser = environment["MMSIM_ADMIN_USER"], !adminUser.isEmpty,
                  let adminPassword = environment["MMSIM_ADMIN_PASSWORD"], !adminPassword.isEmpty else {
                throw RunUsage.error("--server needs the admin in $MMSIM_ADMIN_USER and $MMSIM_ADMIN_PASSWORD")
            }
            options = FleetOptions(devices: devices ?? accounts.count,
                                   serverURL: server.trimmingCharacters(in: CharacterSet(charactersIn: "/")),
                                   credentials: accounts, admin: FleetCredential(username: adminUser, password: adminPassword),
                                   concurrency: concurrency, seed: seed, phaseTimeoutSeconds: phaseTimeout)
        } else {
            if credentials != nil { throw RunUsage.error("--credentials needs --server (the embedded server creates its users)") }
            guard let devices else { throw RunUsage.error("give --devices N") }
            options = FleetOptions(devices: devices, concurrency: concurrency, seed: seed, phaseTimeoutSeconds: phaseTimeout)
        }
        options.app = app
        if let shard {
            do throws(FleetShardError) {
                options.shard = try FleetShard.parse(shard, totalDevices: options.devices)
            } catch {
                throw RunUsage.error("\(error)")
            }
        }
        options.revoke = options.shard == nil ? .all : .users
        if let revoke {
            do throws(FleetRevokeError) {
                options.revoke = try FleetRevoke.parse(revoke)
            } catch {
                throw RunUsage.error("\(error)")
            }
        }
        // Phones of one user in two shards: one shard's revoke would reach the other's phone while it may be online.
        if options.shard != nil, options.revoke == .users, !options.credentials.isEmpty, options.devices > options.credentials.count {
            throw RunUsage.error("--shard with --revoke users needs an account per phone: \(options.devices) phones, "
                                 + "\(options.credentials.count) credentials (or use --revoke at=TIME)")
        }
        return options
    }
}
