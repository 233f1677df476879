import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import MattermostClient
import MattermostModel
import ServiceLifecycle
import Synchronization

/// One fault-injecting HTTP proxy on loopback for all phones of a run: `http://127.0.0.1:P/phone/<name>/…` is
/// forwarded to the server (http or https upstream; plain HTTP to the phone), with that phone's network profile
/// applied to each request and WebSocket frame. Phones on `online` do not come here at all.
public final class FaultProxy: NetworkLink, Sendable {
    public let port: Int
    /// The real server, e.g. `http://127.0.0.1:8065` or `https://chat.example.com`.
    public let upstream: String
    /// The CAs the proxy trusts towards an https upstream (the phone side is always plain HTTP).
    public let trust: ClientTrust
    let clock: SimClock
    let holds: HoldRegistry
    let table: Mutex<RouteTable>
    let refusedURL: String
    let group: ServiceGroup
    let task: Task<Void, Error>

    /// Per-route profiles and the live WebSocket bridges, plus the seeded randomness of `lossy`.
    struct RouteTable {
        var profiles: [String: NetworkProfile] = [:]
        var random: SeededRandom
        var serverErrorTurn = 0
        var bridges: [String: [Int: AsyncStream<Void>.Continuation]] = [:]
        var nextBridgeID = 0
    }

    /// Chance that `lossy` drops a request or a frame.
    public static let lossRate = 0.3

    init(port: Int, upstream: String, trust: ClientTrust, clock: SimClock, holds: HoldRegistry, seed: UInt64,
         group: ServiceGroup, task: Task<Void, Error>) {
        self.port = port
        self.upstream = upstream.hasSuffix("/") ? String(upstream.dropLast()) : upstream
        self.trust = trust
        self.clock = clock
        self.holds = holds
        self.table = Mutex(RouteTable(random: SeededRandom(seed: seed)))
        self.refusedURL = "http://127.0.0.1:\(RefusedPort.make())"
        self.group = group
        self.task = task
    }

    /// Starts listening on 127.0.0.1:`port` (0: any free port) and returns once it does.
    public static func start(upstream: String, trust: ClientTrust = .system, clock: SimClock, seed: UInt64 = 1,
                             port: Int = 0, logger: Logger? = nil) async throws -> FaultProxy {
        let quiet: Logger = logger ?? {
            var quiet = Logger(label: "mmsim.proxy")
            quiet.logLevel = .warning
            return quiet
        }()
        let holds = HoldRegistry(clock: clock)
        let box = ProxyBox()
        let router = Router(context: BasicRequestContext.self)
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .head, .options]
        for method in methods {
            router.on("/phone/{name}/**", method: method) { request, context in
                guard let proxy = box.proxy else { throw HTTPError(.serviceUnavailable) }
                // On 127.0.0.1 like the embedded server, and as open to DNS rebinding: the same rules.
                if let refusal = LoopbackHost.refusal(method: request.method.rawValue, authority: request.head.authority,
                                                      origins: request.headers[values: .origin], checkHost: true) {
                    return Self.refusal(refusal)
                }
                return try await proxy.forward(request, context: context)
            }
        }
        let sockets = Router(context: BasicWebSocketRequestContext.self)
        sockets.ws(RouterPath("/phone/{name}" + APIPath.websocket)) { request, context in
            guard let proxy = box.proxy,
                  LoopbackHost.allowsUpgrade(authority: request.head.authority, origins: request.headers[values: .origin],
                                             checkHost: true)
            else { return .dontUpgrade }
            return await proxy.shouldUpgrade(route: context.parameters.get("name") ?? "")
        } onUpgrade: { inbound, outbound, context in
            guard let proxy = box.proxy else { return }
            let route = context.requestContext.parameters.get("name") ?? ""
            await proxy.bridge(route: route, upgrade: context.request, inbound: inbound, outbound: outbound)
        }
        let (ports, portsContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: sockets),
                              configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
                              onServerRunning: { channel in portsContinuation.yield(channel.localAddress?.port ?? 0) },
                              logger: quiet)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: quiet)
        let task = Task {
            defer { portsContinuation.finish() }
            try await group.run()
        }
        var bound: Int?
        for await value in ports { bound = value; break }
        guard let bound, bound > 0 else {
            task.cancel()
            _ = await task.result
            throw HTTPError(.internalServerError, message: "the fault proxy did not start")
        }
        let proxy = FaultProxy(port: bound, upstream: upstream, trust: trust, clock: clock, holds: holds, seed: seed,
                               group: group, task: task)
        box.proxy = proxy
        return proxy
    }

    public func stop() async {
        let all = table.withLock { t in t.bridges.values.flatMap(\.values) }
        for bridge in all { bridge.finish() }
        for route in table.withLock({ Array($0.profiles.keys) }) {
            holds.abandon(route: route, kinds: [.request, .socket])
        }
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    // MARK: NetworkLink

    public func baseURL(route: String, profile: NetworkProfile) -> String {
        switch profile {
        case .online: return upstream
        case .unreachable: return refusedURL
        default: return "\(baseURL)/phone/\(route)"
        }
    }

    public func setProfile(_ profile: NetworkProfile, route: String) {
        let closing: [AsyncStream<Void>.Continuation] = table.withLock { t in
            t.profiles[route] = profile
            return profile.breaksOpenSockets ? Array((t.bridges[route] ?? [:]).values) : []
        }
        for bridge in closing { bridge.finish() }
        // A blackholed request does not come back to life when the link changes: it is dropped.
        if profile != .blackhole { holds.abandon(route: route, kinds: [.request, .socket], onlyBlackholed: true) }
    }

    public func heldCount(route: String) -> Int {
        let swallowing = table.withLock { t in t.profiles[route] == .blackhole ? (t.bridges[route]?.count ?? 0) : 0 }
        return holds.count(route: route) + swallowing
    }

    public func nextDeadline(route: String) -> Int64? { holds.nextDeadline(route: route) }

    public func wakeDue() { holds.wakeDue() }

    public func abandon(route: String, requests: Bool, sockets: Bool) {
        var kinds: Set<HoldRegistry.Kind> = []
        if requests { kinds.insert(.request) }
        if sockets {
            kinds.insert(.socket)
            let open = table.withLock { t in Array((t.bridges[route] ?? [:]).values) }
            for bridge in open { bridge.finish() }
        }
        holds.abandon(route: route, kinds: kinds)
    }

    public func onHold(route: String, _ callback: @escaping @Sendable () -> Void) {
        holds.onHold(route: route, callback)
    }

    // MARK: Shared by the HTTP and WebSocket sides

    func profile(_ route: String) -> NetworkProfile {
        table.withLock { $0.profiles[route] ?? .online }
    }

    /// `lossy`'s coin, from the seed.
    func lose() -> Bool {
        table.withLock { t in Double(t.random.next() % 1_000_000) / 1_000_000 < Self.lossRate }
    }

    func nextServerError() -> Int {
        table.withLock { t in
            defer { t.serverErrorTurn += 1 }
            return [500, 502, 503][t.serverErrorTurn % 3]
        }
    }

    /// Milliseconds a `slow-3g` transfer of `bytes` takes on top of the latency.
    static func transferMillis(_ bytes: Int) -> Int64 {
        Int64(bytes) * 1000 / NetworkProfile.slow3gBytesPerSecond
    }
}

/// Lets the routes, built before the proxy exists, reach it.
final class ProxyBox: Sendable {
    private let value = Mutex<FaultProxy?>(nil)
    var proxy: FaultProxy? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

extension NetworkProfile {
    public static let slow3gLatencyMillis: Int64 = 2_000
    public static let slow3gBytesPerSecond: Int64 = 50_000

    /// Profiles under which an open WebSocket cannot survive.
    var breaksOpenSockets: Bool {
        switch self {
        case .unreachable, .reset, .captivePortal, .server5xx, .truncated: return true
        case .online, .blackhole, .slow3g, .lossy: return false
        }
    }
}
