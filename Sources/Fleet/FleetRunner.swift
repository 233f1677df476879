import Device
import EmbeddedServer
import Foundation
import Logging
import MattermostClient

public enum FleetError: Error, CustomStringConvertible {
    case setup(String)
    case tooFewFiles(devices: Int, needed: Int, limit: Int)
    public var description: String {
        switch self {
        case .setup(let reason): return reason
        case let .tooFewFiles(devices, needed, limit):
            return "\(devices) phones need about \(needed) open files and the limit here is \(limit), which this process "
                + "cannot raise: use --devices \(max(1, (limit - FleetRunner.spareFiles) / FleetRunner.filesPerPhone(embedded: true))) "
                + "or fewer, or raise the hard limit (ulimit -Hn, docker --ulimit nofile=N:N)"
        }
    }
}

/// Runs MM-T941 on N phones in this process: login → offline → revoke → reconnect, then judges every phone.
public enum FleetRunner {
    /// Per phone: its WebSocket and its local store's SQLite file; the server's end of the WebSocket when embedded.
    static func filesPerPhone(embedded: Bool) -> Int { embedded ? 3 : 2 }
    /// The HTTP pool, the server's listener and store, stdio, libraries, a token cache being replaced.
    static let spareFiles = 256

    public static func run(_ options: FleetOptions) async throws -> FleetReport {
        let needed = options.devices * filesPerPhone(embedded: options.serverURL == nil) + spareFiles
        let limit = FleetResources.raiseOpenFilesLimit(wanted: needed)
        // Running out mid-run is worse than refusing: SQLite, the token cache and even libdispatch (which reads
        // /proc to size its thread pool, and traps when it cannot) fail at random places.
        guard limit >= needed else { throw FleetError.tooFewFiles(devices: options.devices, needed: needed, limit: limit) }
        let setupStart = DispatchTime.now().uptimeNanoseconds
        let clock = SimClock(mode: .wall)
        var server: EmbeddedServer?
        let url: String
        let admin: FleetCredential
        var accounts: [FleetCredential]
        if let given = options.serverURL {
            url = given
            guard let given = options.admin else { throw FleetError.setup("a real server needs the admin's credentials") }
            admin = given
            accounts = options.credentials
        } else {
            var quiet = Logger(label: "mmsim.fleet.server")
            quiet.logLevel = .warning
            // Cost 4: these accounts live as long as the run (see README, "Seeded accounts").
            let started = try await EmbeddedServer.start(
                ServerConfiguration(port: 0, dataDirectory: nil, bcryptCost: 4, clock: clock), logger: quiet)
            server = started
            url = started.baseURL
            admin = FleetCredential(username: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword)
            accounts = (1...max(1, options.devices)).map { FleetCredential(username: "user-\($0)", password: SeedAccounts.userPassword) }
            do {
                try await started.ensureUsers(usernames: accounts.map(\.username))
            } catch {
                await started.stop()
                throw error
            }
        }
        guard !accounts.isEmpty else { throw FleetError.setup("no accounts to log in with") }

        let folder = options.folderRoot.appendingPathComponent("mmsim-fleet-\(UUID().uuidString)")
        let phones = (0..<options.devices).map { index in
            let name = "phone-\(index + 1)"
            let dir = folder.appendingPathComponent(name)
            return PhoneConfiguration(name: name, deviceID: PhoneConfiguration.stableDeviceID(name: name, dataDirectory: dir),
                                      serverURL: url, dataDirectory: dir, durableStore: false)
        }
        let api = MattermostAPI(baseURL: url)
        let simulation = Simulation(serverURL: url, clock: clock, phones: phones, admin: (admin.username, nil),
                                    autoSignIn: false, api: api)
        let fleet = FleetPhases(options: options, simulation: simulation, api: api, admin: admin,
                                accounts: accounts.isEmpty ? [] : (0..<options.devices).map { accounts[$0 % accounts.count] })
        let setupSeconds = Double(DispatchTime.now().uptimeNanoseconds - setupStart) / 1e9

        let report = await fleet.run(server: server.map { "embedded \($0.baseURL)" } ?? url, setupSeconds: setupSeconds, openFilesLimit: limit)
        options.progress?.finish()
        await simulation.shutdown()
        await server?.stop()
        try? FileManager.default.removeItem(at: folder)
        return report
    }
}
