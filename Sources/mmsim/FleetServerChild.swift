import Device
import EmbeddedServer
import Fleet
import Foundation
import Logging
import MattermostModel

/// `mmsim serve --fleet-users N` (hidden): the server half of `mmsim fleet`, run by FleetServerProcess.
/// In memory, bcrypt cost 4 for the run-scoped users (README, "Seeded accounts"). Prints the ready line once
/// user-1…user-N exist; then answers `trim` on stdin with `memory RESIDENT PEAK` and `cpu` with `cpu SECONDS` (its
/// CPU time so far), and exits at end of file —
/// which comes when the parent closes the pipe or dies, however it dies.
enum FleetServerChild {
    static func run(users: Int, host: String, port: Int, sessionLengthMobileHours: Int) async throws {
        let config = ServerConfiguration(host: host, port: port, dataDirectory: nil,
                                         sessionLengthMobileHours: sessionLengthMobileHours, bcryptCost: 4)
        let server = try await EmbeddedServer.start(config, runUsers: users, logger: Logger(label: "mmsim.fleet.server"))
        ProcessResources.raiseOpenFilesLimit(wanted: users + 256)
        let signals = ShutdownSignals { _ in Task { await server.stop() } }
        // FileHandle writes are unbuffered: the line reaches the parent at once.
        StandardStream.output.write("mmsim server listening on \(server.baseURL) (fleet, \(users) users)\n")
        let watcher = Thread {
            while let line = readLine() {
                if line == "cpu" {
                    StandardStream.output.write("cpu \(ProcessResources.cpuSeconds())\n")
                    continue
                }
                guard line == "trim" else { continue }
                let resident = ProcessResources.settledResident()
                let peak = ProcessResources.memory().peak
                StandardStream.output.write("memory \(resident) \(peak)\n")
            }
            Task { await server.stop() }
        }
        watcher.start()
        await server.waitUntilStopped()
        await server.stop()
        signals.cancel()
    }
}
