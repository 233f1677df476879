import Device
import EmbeddedServer
import Foundation
import MattermostClient

public enum FleetError: Error, CustomStringConvertible {
    case setup(String)
    case tooFewFiles(devices: Int, needed: Int, limit: Int, perPhone: Int, sharded: Bool = false)
    public var description: String {
        switch self {
        case .setup(let reason): return reason
        case let .tooFewFiles(devices, needed, limit, perPhone, sharded):
            let fit = max(1, (limit - FleetRunner.spareFiles) / perPhone)
            // A shard's --devices counts every shard's phones: fewer phones here means more shards.
            let fewer = sharded ? "use more shards (at most \(fit) phones each)" : "use --devices \(fit) or fewer"
            return "\(devices) phones need about \(needed) open files and the limit here is \(limit), which this process "
                + "cannot raise: \(fewer), or raise the hard limit (ulimit -Hn, docker --ulimit nofile=N:N)"
        }
    }
}

/// Runs MM-T941 on N phones in this process: login → offline → revoke → reconnect, then judges every phone.
public enum FleetRunner {
    /// Per phone, in this process: its WebSocket (its store is in memory, its token cache file open only while
    /// written); plus the server's end of the WebSocket when the server runs in this process. A child server
    /// holds its ends in its own process, under its own limit.
    public static func filesPerPhone(serverInProcess: Bool) -> Int { serverInProcess ? 2 : 1 }
    /// The HTTP pool, the server's listener and store, stdio, libraries, a token cache being replaced.
    public static let spareFiles = 256
    /// The HTTP pool's share of the spare files; a higher --concurrency queues the rest in the pool.
    static let maxPooledConnections = 128

    public static func run(_ options: FleetOptions) async throws -> FleetReport {
        let perPhone = filesPerPhone(serverInProcess: options.serverURL == nil && options.serverExecutable == nil)
        let needed = options.phoneIndices.count * perPhone + spareFiles
        let limit = FleetResources.raiseOpenFilesLimit(wanted: needed)
        // Running out mid-run is worse than refusing: the token cache and even libdispatch (which reads /proc to
        // size its thread pool, and traps when it cannot) fail at random places.
        guard limit >= needed else {
            throw FleetError.tooFewFiles(devices: options.phoneIndices.count, needed: needed, limit: limit, perPhone: perPhone,
                                         sharded: options.shard != nil)
        }
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
            guard !accounts.isEmpty else { throw FleetError.setup("no accounts to log in with") }
            let report = await runPhones(options, server: server, clock: clock, admin: admin, accounts: accounts,
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
                          accounts: [FleetCredential], setupStart: UInt64, openFilesLimit: Int) async -> FleetReport {
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
        return report
    }
}
