import EmbeddedServer
import Foundation
import Hummingbird
import Logging
import MattermostClient
import NIOCore

/// The embedded server (in memory, as `mmsim run` starts it) and, beside it, a bare Hummingbird route that
/// answers `GET /api/v4/users/me` with the same bytes and no work: the ceiling for the same build.
/// Prints `embedded=PORT bare=PORT token=TOKEN` (a throwaway session of an in-memory server) and runs until killed.
enum BenchServers {
    static func run() async throws {
        var quiet = Logger(label: "mmsim.bench")
        quiet.logLevel = .error
        let server = try await EmbeddedServer.start(ServerConfiguration(port: 0, dataDirectory: nil, bcryptCost: 4), logger: quiet)
        let api = MattermostAPI(baseURL: server.baseURL)
        let token = try await api.login(loginID: "user-1", password: SeedAccounts.userPassword, deviceID: nil).token
        let body = try JSONEncoder().encode(try await api.me(token: token))

        let router = Router()
        let bytes = ByteBuffer(bytes: body)
        router.get("/api/v4/users/me") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: bytes))
        }
        let portBox = PortBox()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in await portBox.set(channel.localAddress?.port ?? 0) },
                              logger: quiet)
        let bare = Task { try await app.runService() }
        var port = 0
        while port == 0 {
            try await Task.sleep(for: .milliseconds(10))
            port = await portBox.port
        }
        StandardStream.output.write("embedded=\(server.port) bare=\(port) token=\(token)\n")
        try await bare.value
    }
}

actor PortBox {
    var port = 0
    func set(_ value: Int) { port = value }
}
