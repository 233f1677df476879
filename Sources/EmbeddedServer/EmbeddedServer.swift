import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import NIOSSL
import Logging
import MattermostModel
import NIOCore
import ServiceLifecycle
import Synchronization

public enum EmbeddedServerError: Error, CustomStringConvertible {
    case portInUse(host: String, port: Int)
    case dataFolderInUse(URL)
    case invalidUsername(String)
    case startFailed(String)
    /// A file or row SQLite or the record decoding refuses. `reason` never quotes a stored value.
    case databaseDamaged(folder: URL?, reason: String)

    public var description: String {
        switch self {
        case .portInUse(let host, let port): return "port \(port) on \(host) is already in use"
        case .dataFolderInUse(let folder): return "the data folder \(folder.path) is in use by another mmsim process"
        case .invalidUsername(let name): return "'\(name)' is not a valid Mattermost username"
        case .startFailed(let reason): return "the server could not start: \(reason)"
        case .databaseDamaged(let folder?, let reason):
            return "the data folder's database is damaged (\(reason)); run `mmsim reset --data \(shellQuoted(folder.path))` "
                + "to start over"
        case .databaseDamaged(nil, let reason): return "the in-memory database is damaged (\(reason))"
        }
    }
}

/// `path` as one shell word, for a command the user can paste.
private func shellQuoted(_ path: String) -> String {
    let plain = path.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+,:@".unicodeScalars.contains($0) }
    return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// A Mattermost-compatible server inside the process: REST under /api/v4, a WebSocket, SQLite storage.
public final class EmbeddedServer: Sendable {
    public let port: Int
    public let host: String
    public let configuration: ServerConfiguration

    let store: Store
    let hub: WebSocketHub
    private let group: ServiceGroup
    private let runTask: Task<Void, Never>
    private let lock: DataFolderLock?
    private let stopping = Mutex(false)

    /// "http://127.0.0.1:PORT"; a wildcard bind is reached through loopback. With TLS "https://localhost:PORT" for
    /// loopback and wildcard binds: a certificate names a host, and wss cannot be checked against an IP address.
    public var baseURL: String {
        let wildcard = host == "0.0.0.0" || host == "::" || host.isEmpty
        if configuration.tls != nil {
            let name = wildcard || host == "127.0.0.1" || host == "::1" ? "localhost" : host
            return "https://\(name.contains(":") ? "[\(name)]" : name):\(port)"
        }
        let reachable = wildcard ? "127.0.0.1" : host
        return "http://\(reachable.contains(":") ? "[\(reachable)]" : reachable):\(port)"
    }

    /// `$XDG_DATA_HOME/mmsim`, else `~/.local/share/mmsim`.
    public static func defaultDataDirectory() -> URL {
        if let xdg = ProcessInfo.processInfo.environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("mmsim")
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".local/share/mmsim")
    }

    private init(port: Int, configuration: ServerConfiguration, store: Store, hub: WebSocketHub, group: ServiceGroup,
                 runTask: Task<Void, Never>, lock: DataFolderLock?) {
        self.port = port
        self.host = configuration.host
        self.configuration = configuration
        self.store = store
        self.hub = hub
        self.group = group
        self.runTask = runTask
        self.lock = lock
    }

    /// Opens (or creates and seeds) the store, then returns once the server listens.
    public static func start(_ config: ServerConfiguration,
                             logger: Logger = Logger(label: "mmsim.server")) async throws -> EmbeddedServer {
        // Bad TLS files fail before the data folder is locked, created or seeded.
        let tls = try config.tls?.serverConfiguration()
        var lock: DataFolderLock?
        if let folder = config.dataDirectory {
            do {
                lock = try DataFolderLock.acquire(folder)
            } catch DataFolderLock.Failure.locked {
                throw EmbeddedServerError.dataFolderInUse(folder)
            }
        }
        do {
            let store = try Store(directory: config.dataDirectory)
            try await Seed.run(store: store, config: config)
            return try await launch(config, tls: tls, store: store, lock: lock, logger: logger)
        } catch {
            lock?.release()
            throw error
        }
    }

    private static func launch(_ config: ServerConfiguration, tls: TLSConfiguration?, store: Store, lock: DataFolderLock?,
                               logger: Logger) async throws -> EmbeddedServer {
        let hub = WebSocketHub()
        let sessions = SessionService(store: store, config: config, logger: logger)
        let webSocket = WebSocketService(hub: hub, sessions: sessions, logger: logger)
        // The seeded team's id: made once per data folder, so it serves as the installation's DiagnosticId.
        let diagnosticID = try await store.ensureTeam(name: SeedAccounts.teamName, displayName: SeedAccounts.teamDisplayName,
                                                      now: config.clock.nowMillis)
        let api = API(store: store, sessions: sessions, webSocket: webSocket, config: config, logger: logger,
                      channelViews: ChannelViews(), diagnosticID: diagnosticID)

        let router = Router(context: APIRequestContext.self)
        router.middlewares.add(ErrorMiddleware<APIRequestContext>(maxBodyBytes: config.maxBodyBytes, logger: logger))
        let checkHost = LoopbackHost.applies(toBind: config.host)
        router.middlewares.add(LoopbackHostMiddleware<APIRequestContext>(checkHost: checkHost))
        router.middlewares.add(AuthMiddleware(sessions: sessions))
        api.register(on: router)

        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        // A page on another origin may not open the socket with the browser's cookies.
        webSocketRouter.ws(RouterPath(APIPath.websocket), shouldUpgrade: { request, _ in
            LoopbackHost.allowsUpgrade(authority: request.head.authority, origins: request.headers[values: .origin],
                                       checkHost: checkHost) ? .upgrade([:]) : .dontUpgrade
        }) { inbound, outbound, context in
            await webSocket.serve(inbound: inbound, outbound: outbound, request: context.request)
        }

        let startup = StartupSignal()
        let plain: HTTPServerBuilder = .guardedHTTP1WebSocketUpgrade(webSocketRouter: webSocketRouter,
                                                                     limits: config.connectionLimits)
        let app = Application(
            router: router,
            server: try tls.map { try .tls(plain, tlsConfiguration: $0) } ?? plain,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
            onServerRunning: { channel in
                startup.resolve(.success(channel.localAddress?.port ?? config.port))
            },
            logger: logger
        )
        // No signal handling here: the embedding process (tests, `mmsim serve`) owns its signals and calls stop().
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        let runTask = Task {
            do {
                try await group.run()
                startup.resolve(.failure(EmbeddedServerError.startFailed("stopped before listening")))
            } catch {
                startup.resolve(.failure(translate(error, config: config)))
            }
        }
        let port: Int
        do {
            port = try await startup.wait()
        } catch {
            await runTask.value
            throw error
        }
        logger.info("mmsim server listening", metadata: ["port": "\(port)",
                                                         "data": "\(config.dataDirectory?.path ?? "in-memory")"])
        return EmbeddedServer(port: port, configuration: config, store: store, hub: hub, group: group,
                              runTask: runTask, lock: lock)
    }

    private static func translate(_ error: any Error, config: ServerConfiguration) -> any Error {
        if let io = error as? IOError, io.errnoCode == EADDRINUSE {
            return EmbeddedServerError.portInUse(host: config.host, port: config.port)
        }
        if "\(error)".contains("Address already in use") {
            return EmbeddedServerError.portInUse(host: config.host, port: config.port)
        }
        return error
    }

    /// Closes every WebSocket with "going away", then stops the HTTP server and releases the data folder.
    public func stop() async {
        let first = stopping.withLock { stopping in
            defer { stopping = true }
            return !stopping
        }
        if first {
            await hub.closeAll()
            await group.triggerGracefulShutdown()
        }
        await runTask.value
        lock?.release()
    }

    /// WebSocket connections with a socket attached (not those kept for a resume).
    public func activeWebSocketCount() async -> Int {
        await hub.activeCount
    }

    /// Returns once every WebSocket has gone (their connections may stay, for a resume).
    public func waitUntilNoActiveWebSockets() async {
        await hub.waitUntilNoneActive()
    }

    /// Returns when the server has stopped, for `mmsim serve`.
    public func waitUntilStopped() async {
        await runTask.value
    }

    /// A `user-N`-style account on demand: password `SampleUser@1` unless given, member of team `qa` and its channels.
    public func ensureUser(username: String, password: String = SeedAccounts.userPassword) async throws -> User {
        let name = username.lowercased()
        guard Seed.isValidUsername(name) else { throw EmbeddedServerError.invalidUsername(username) }
        let teamID = try await store.ensureTeam(name: SeedAccounts.teamName, displayName: SeedAccounts.teamDisplayName,
                                                now: configuration.clock.nowMillis)
        let user = try await Seed.createMember(store: store, config: configuration, teamID: teamID, username: name,
                                               password: password, roles: SeedAccounts.userRoles)
        return user.model
    }
}
