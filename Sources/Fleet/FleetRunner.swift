import Device
import EmbeddedServer
import Foundation
import MattermostClient

public enum FleetError: Error, CustomStringConvertible {
    case setup(String)
    public var description: String {
        switch self {
        case .setup(let reason): return reason
        }
    }
}

/// Runs MM-T941 on N phones in this process: login → offline → revoke → reconnect, then judges every phone.
public enum FleetRunner {
    /// The HTTP pool's share of the spare files; a higher --concurrency queues the rest in the pool.
    static let maxPooledConnections = 128

    public static func run(_ options: FleetOptions) async throws -> FleetReport {
        let perPhone = OpenFilesBudget.filesPerPhone(serverInProcess: options.serverURL == nil && options.serverExecutable == nil)
        let limit = try OpenFilesBudget(phones: options.phoneIndices.count, perPhone: perPhone).reserve(sharded: options.shard != nil)
        let setupStart = DispatchTime.now().uptimeNanoseconds
        let clock = SimClock(mode: .wall)
        let server: FleetServer
        let admin: FleetCredential
        let accounts: [FleetCredential]
        if let url = options.serverURL {
            guard let given = options.admin else { throw FleetError.setup("a real server needs the admin's credentials") }
            server = .remote(url)
            admin = given
            accounts = options.credentials.isEmpty ? generatedAccounts(options.phoneIndices.upperBound) : options.credentials
        } else {
            // A shard's own server makes the users up to its last phone's, so names match the shared server's.
            let users = max(1, options.phoneIndices.upperBound)
            server = try await FleetServer.embedded(users: users, executable: options.serverExecutable, clock: clock)
            admin = FleetCredential(username: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword)
            accounts = generatedAccounts(users)
        }
        // From here on every exit stops the server (a child is stopped by the kernel too, should this process die).
        do {
            if case .child(let process) = server { try options.onServerStarted?(process.pid) }
            if case .remote(let url) = server { try await FleetPreflight(url: url, admin: admin).check() }
            guard !accounts.isEmpty else { throw FleetError.setup("no accounts to log in with") }
            let report = try await runPhones(options, server: server, clock: clock, admin: admin, accounts: accounts,
                                         setupStart: setupStart, openFilesLimit: limit)
            await server.stop()
            return report
        } catch {
            options.progress?.finish()
            await server.stop()
            throw error
        }
    }

    /// user-1…user-N with the sample password, as the embedded server and `mmsim serve --users N` make them.
    static func generatedAccounts(_ count: Int) -> [FleetCredential] {
        SeedAccounts.runUsernames(count).map { FleetCredential(username: $0, password: SeedAccounts.userPassword) }
    }

    static func runPhones(_ options: FleetOptions, server: FleetServer, clock: SimClock, admin: FleetCredential,
                          accounts: [FleetCredential], setupStart: UInt64, openFilesLimit: Int) async throws -> FleetReport {
        let url = server.baseURL
        let folder = options.folderRoot.appendingPathComponent("mmsim-fleet-\(UUID().uuidString)")
        let indices = options.phoneIndices
        let phones = indices.map { index in
            let name = "phone-\(index + 1)"
            let dir = folder.appendingPathComponent(name)
            // The store in memory: a SQLite file per phone would cost a file and ~110 KiB of lookaside each.
            return PhoneConfiguration(name: name, deviceID: PhoneConfiguration.stableDeviceID(name: name, dataDirectory: dir),
                                      serverURL: url, dataDirectory: dir, app: options.app, storage: .memory)
        }
        let http = ClientTrust.system.dedicatedHTTPClient(connectionsPerHost: min(options.concurrency, maxPooledConnections))
        let api = MattermostAPI(baseURL: url, http: http)
        let simulation = Simulation(serverURL: url, clock: clock, phones: phones, admin: (admin.username, nil),
                                    autoSignIn: false, api: api)
        let fleet = FleetPhases(options: options, simulation: simulation, api: api, admin: admin, server: server,
                                accounts: indices.map { accounts[$0 % accounts.count] })
        let setupSeconds = Double(DispatchTime.now().uptimeNanoseconds - setupStart) / 1e9

        let report = await fleet.run(serverLabel: server.label, setupSeconds: setupSeconds, openFilesLimit: openFilesLimit)
        options.progress?.finish()
        await simulation.shutdown()
        try? await http.shutdown()
        try? FileManager.default.removeItem(at: folder)
        // Without its server the phones' figures say nothing about the app: not a failed check, a failed run.
        if let reason = fleet.serverGone.reason {
            throw FleetError.setup("the server process ended during the run (\(reason)); no report")
        }
        return report
    }
}
