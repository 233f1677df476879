import Device
import EmbeddedServer
import FaultProxy
import Foundation
import Logging
import MattermostClient
import MattermostModel

/// What a scenario or a soak runs in: a server (embedded, on a virtual clock; or a given URL, on the wall clock),
/// the fault proxy when some phone needs a profile other than `online`, the phones' folders, and the `Simulation`
/// that moves time. The one place that starts such a world, lets time pass in it and stops it.
struct SimulatedWorld: Sendable {
    /// Virtual runs start at a fixed moment so that snapshots, reports and soak replays do not change from run to run.
    static let virtualEpochMillis: Int64 = 1_767_258_000_000  // 2026-01-01 09:00 UTC

    struct Setup: Sendable {
        /// nil: an embedded server in this process on 127.0.0.1:0, on a virtual clock.
        var serverURL: String?
        /// Accounts `SeedAccounts.runUsernames` made on the embedded server before it answers (soak's phones).
        var runUsers = 0
        var bcryptCost: UInt8 = 4
        var trust: ClientTrust = .system
        /// nil: no fault proxy (every phone stays online); else the seed of its `lossy` drops.
        var proxySeed: UInt64?
        /// The phones' folders go in a fresh folder under this one.
        var scratch: URL
        var folderPrefix: String
        /// The simulation's own System Console.
        var admin: (username: String, password: String?)
        var autoSignIn: Bool
    }

    let clock: SimClock
    let server: EmbeddedServer?
    let proxy: FaultProxy?
    let simulation: Simulation
    let api: MattermostAPI
    /// Every phone's data folder is inside; removed by `stop()`.
    let folder: URL

    /// `phones`: the phones' configurations, given the server URL they talk to and the world's folder.
    static func start(_ setup: Setup, phones: (_ serverURL: String, _ folder: URL) -> [PhoneConfiguration]) async throws
        -> SimulatedWorld {
        let clock: SimClock
        var server: EmbeddedServer?
        let url: String
        if let given = setup.serverURL {
            clock = SimClock(mode: .wall)
            url = given
        } else {
            clock = SimClock(mode: .virtual, startMillis: virtualEpochMillis)
            var quiet = Logger(label: "mmsim.scenario.server")
            quiet.logLevel = .warning
            let configuration = ServerConfiguration(port: 0, dataDirectory: nil, bcryptCost: setup.bcryptCost, clock: clock)
            let started = setup.runUsers > 0
                ? try await EmbeddedServer.start(configuration, runUsers: setup.runUsers, logger: quiet)
                : try await EmbeddedServer.start(configuration, logger: quiet)
            server = started
            url = started.baseURL
        }
        var proxy: FaultProxy?
        if let seed = setup.proxySeed {
            do {
                proxy = try await FaultProxy.start(upstream: url, trust: setup.trust, clock: clock, seed: seed)
            } catch {
                await server?.stop()
                throw error
            }
        }
        let folder = setup.scratch.appendingPathComponent("\(setup.folderPrefix)-\(UUID().uuidString)")
        let api = MattermostAPI(baseURL: url, trust: setup.trust)
        let simulation = Simulation(serverURL: url, clock: clock, phones: phones(url, folder), admin: setup.admin,
                                    autoSignIn: setup.autoSignIn, api: api, link: proxy)
        return SimulatedWorld(clock: clock, server: server, proxy: proxy, simulation: simulation, api: api, folder: folder)
    }

    /// "Minutes pass": on the virtual clock from one timer deadline to the next (no real time); against a real
    /// server, in real time.
    func pass(millis: Int64) async {
        if clock.mode == .virtual {
            await simulation.advance(byMillis: millis)
        } else {
            try? await Task.sleep(for: .milliseconds(millis))
        }
    }

    /// Phones first (they close their sockets), then the proxy, `beforeServer`, the server; the phones' folders last.
    func stop(beforeServer: () async -> Void = {}) async {
        await simulation.shutdown()
        await proxy?.stop()
        await beforeServer()
        await server?.stop()
        try? FileManager.default.removeItem(at: folder)
    }
}
