import Device
import EmbeddedServer
import Foundation
import Logging
import MattermostModel

/// The server a fleet run talks to, and who must stop it.
enum FleetServer: Sendable {
    /// A real Mattermost (`--server`): not ours to stop or measure.
    case remote(String)
    /// In this process (tests): both ends of every WebSocket count against this process's open files.
    case inProcess(EmbeddedServer)
    /// `mmsim serve --fleet-users N` as a child process (the command line).
    case child(FleetServerProcess)

    /// Starts the embedded server of a run with `users` run-scoped accounts user-1…user-N.
    static func embedded(users: Int, executable: URL?, clock: SimClock) async throws -> FleetServer {
        if let executable { return .child(try await FleetServerProcess.start(executable: executable, users: users)) }
        var quiet = Logger(label: "mmsim.fleet.server")
        quiet.logLevel = .warning
        // Cost 4: these accounts live as long as the run (see README, "Seeded accounts").
        return .inProcess(try await EmbeddedServer.start(
            ServerConfiguration(port: 0, dataDirectory: nil, bcryptCost: 4, clock: clock), runUsers: users, logger: quiet))
    }

    var baseURL: String {
        switch self {
        case .remote(let url): return url
        case .inProcess(let server): return server.baseURL
        case .child(let process): return process.baseURL
        }
    }

    var label: String {
        switch self {
        case .remote(let url): return url
        case .inProcess(let server): return "embedded \(server.baseURL)"
        case .child(let process): return "embedded \(process.baseURL) (own process, pid \(process.pid))"
        }
    }

    /// The server's own CPU time so far, when it is a process of its own (else it is in this process's figures).
    func cpuSeconds() async -> Double? {
        if case .child(let process) = self { return await process.cpuSeconds() }
        return nil
    }

    /// The server's own memory, when it is a process of its own (else it is in this process's figures).
    func memory() async -> ProcessResources.Memory? {
        if case .child(let process) = self { return await process.memory() }
        return nil
    }

    func stop() async {
        switch self {
        case .remote: break
        case .inProcess(let server): await server.stop()
        case .child(let process): await process.stop()
        }
    }
}
