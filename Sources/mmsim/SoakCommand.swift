import ArgumentParser
import Foundation
import Scenario

struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Random actions on many phones in virtual time, invariants checked throughout: exit 0 all held, 1 one broke, 2 bad usage.",
        discussion: """
            Phones user-1…user-N on the embedded server, behind the fault proxy, on a virtual clock. Every 10–30 \
            simulated seconds: airplane mode, power, network profiles, messages to Town Square, logins, and the admin \
            revoking one user's or all sessions. Checked: no logout without a revocation, no revocation missed once a \
            phone can talk to the server, every message on the server exactly once by its author, no token in any \
            timeline. The same seed replays the same run.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Number of phones.")
    var devices: Int = 100

    @Option(help: "Simulated minutes.")
    var minutes: Int = 30

    @Option(help: "Seed of every random choice (replays a run).")
    var seed: UInt64 = 1

    func validate() throws {
        try OptionRange.check(devices, "--devices", in: OptionRange.soakDevices)
        try OptionRange.check(minutes, "--minutes", in: OptionRange.soakMinutes)
    }

    func run() async throws {
        try global.bootstrapLogging()
        let report: SoakReport = try await CommandScratch.with(prefix: "mmsim-soak") { scratch in
            let options = SoakOptions(devices: devices, minutes: minutes, seed: seed,
                                      onFailure: { line in RunUsage.stderr("soak: FAIL \(line)") }, scratch: scratch)
            do {
                return try await SoakRunner.run(options)
            } catch {
                throw RunUsage.error("soak: \(error)")
            }
        }
        print(report.text(), terminator: "")
        if !report.passed { throw ExitCode(1) }
    }
}
