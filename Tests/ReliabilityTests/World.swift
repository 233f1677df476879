import Device
import EmbeddedServer
import FaultProxy
import Foundation
import MattermostClient
import XCTest

/// The embedded server and the fault proxy on 127.0.0.1:0, one virtual clock, phones that reach the server
/// straight (`online`) or through their proxy route.
final class World: @unchecked Sendable {
    let clock: SimClock
    let server: EmbeddedServer
    let proxy: FaultProxy
    let folder: URL
    let simulation: Simulation
    let api: MattermostAPI

    /// - Parameters:
    ///   - tls: serve https/wss instead of http.
    ///   - trust: what the phones, the console and the proxy's upstream side trust; the test's own `api` trusts
    ///     `helperTrust` (default: the same).
    static func start(phones: [String] = ["phone"], policy: RevokePolicy = .keepOutbox, seed: UInt64 = 1,
                      sessionHours: Int = 720, tls: ServerTLS? = nil, trust: ClientTrust = .system,
                      helperTrust: ClientTrust? = nil) async throws -> World {
        let clock = SimClock(mode: .virtual, startMillis: 1_767_258_000_000)
        var configuration = ServerConfiguration(port: 0, sessionLengthMobileHours: sessionHours, bcryptCost: 4, clock: clock)
        configuration.tls = tls
        let server = try await EmbeddedServer.start(configuration)
        let proxy = try await FaultProxy.start(upstream: server.baseURL, trust: trust, clock: clock, seed: seed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-rel-\(UUID().uuidString)")
        return World(clock: clock, server: server, proxy: proxy, folder: folder, phones: phones, policy: policy,
                     trust: trust, helperTrust: helperTrust ?? trust)
    }

    init(clock: SimClock, server: EmbeddedServer, proxy: FaultProxy, folder: URL, phones: [String], policy: RevokePolicy,
         trust: ClientTrust = .system, helperTrust: ClientTrust = .system) {
        self.clock = clock
        self.server = server
        self.proxy = proxy
        self.folder = folder
        api = MattermostAPI(baseURL: server.baseURL, trust: helperTrust)
        let configs = phones.map { name in
            PhoneConfiguration(name: name, deviceID: "device-\(name)", serverURL: server.baseURL,
                               dataDirectory: folder.appendingPathComponent(name), revokePolicy: policy, durableStore: false)
        }
        simulation = Simulation(serverURL: server.baseURL, clock: clock, phones: configs,
                                admin: (SeedAccounts.adminUsername, SeedAccounts.adminPassword),
                                api: MattermostAPI(baseURL: server.baseURL, trust: trust), link: proxy)
    }

    var phone: Phone { simulation.phones[0] }
    var console: SystemConsole { simulation.console }

    func stop() async {
        await simulation.shutdown()
        await proxy.stop()
        await server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Power on and log in; returns once the phone has settled.
    func launchAndLogin(_ phone: Phone, user: String = "user-1") async {
        await phone.powerOn()
        await phone.login(username: user, password: SeedAccounts.userPassword)
        await simulation.settle()
    }

    func adminToken() async throws -> String {
        try await api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil).token
    }

    func serverPosts(channelID: String) async throws -> [Post] {
        try await api.posts(token: try await adminToken(), channelID: channelID, since: nil).chronological
    }

    func userID(_ username: String) async throws -> String {
        try await api.users(token: try await adminToken()).first { $0.username == username }?.id ?? ""
    }
}
