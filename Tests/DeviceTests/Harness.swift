import Device
import EmbeddedServer
import Foundation
import MattermostClient
import MattermostModel
import XCTest

/// The embedded server on 127.0.0.1:0 with a virtual clock, and phones that reach it over real HTTP and WebSocket.
final class Harness: @unchecked Sendable {
    let clock: SimClock
    let server: EmbeddedServer
    let folder: URL
    let simulation: Simulation
    let api: MattermostAPI

    static func start(phones: [String] = ["phone"], policy: RevokePolicy = .keepOutbox,
                      serverURL: String? = nil, serverData: URL? = nil) async throws -> Harness {
        let clock = SimClock(mode: .virtual)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mmsim-device-\(UUID().uuidString)")
        let server = try await EmbeddedServer.start(ServerConfiguration(port: 0, dataDirectory: serverData, bcryptCost: 4, clock: clock))
        return Harness(clock: clock, server: server, folder: folder, phones: phones, policy: policy, serverURL: serverURL)
    }

    init(clock: SimClock, server: EmbeddedServer, folder: URL, phones: [String], policy: RevokePolicy, serverURL: String?) {
        self.clock = clock
        self.server = server
        self.folder = folder
        let url = serverURL ?? server.baseURL
        self.api = MattermostAPI(baseURL: server.baseURL)
        let configs = phones.map { name in
            PhoneConfiguration(name: name, deviceID: "device-\(name)", serverURL: url,
                               dataDirectory: folder.appendingPathComponent(name), revokePolicy: policy)
        }
        simulation = Simulation(serverURL: url, clock: clock, phones: configs,
                                admin: (SeedAccounts.adminUsername, SeedAccounts.adminPassword))
    }

    var phone: Phone { simulation.phones[0] }

    func stop() async {
        await simulation.shutdown()
        await server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Power on and log in; returns once the phone is live.
    func launchAndLogin(_ phone: Phone, user: String = "user-1", password: String = SeedAccounts.userPassword) async {
        await phone.powerOn()
        await phone.login(username: user, password: password)
        await simulation.settle()
    }

    /// What the server holds in a channel, read as the admin.
    func serverPosts(channelID: String) async throws -> [Post] {
        let login = try await api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil)
        return try await api.posts(token: login.token, channelID: channelID, since: nil).chronological
    }

    func townSquare(_ phone: Phone) async -> String {
        await phone.state.channel(named: "town-square")?.id ?? ""
    }

    func userID(_ username: String) async throws -> String {
        let login = try await api.login(loginID: SeedAccounts.adminUsername, password: SeedAccounts.adminPassword, deviceID: nil)
        let users = try await api.users(token: login.token)
        return users.first { $0.username == username }?.id ?? ""
    }
}

extension DeviceState {
    var revokedBannerShown: Bool { banner == .sessionRevoked }
}
