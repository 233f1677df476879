import Foundation
import Logging
import MattermostClient
import MattermostModel

/// One simulated phone: runs the pure core's effects (HTTP, WebSocket, disk, timers) and feeds the results back.
/// Everything it shows is in `state`; the token lives only here and in the token cache file.
public actor Phone {
    public nonisolated let configuration: PhoneConfiguration
    public nonisolated var name: String { configuration.name }
    public private(set) var state: DeviceState

    let clock: SimClock
    /// Straight to the server (`online`); `api` is the way requests take now.
    let directAPI: MattermostAPI
    var api: MattermostAPI
    /// Shapes the link under a profile other than `online`; nil: this phone has only the direct path.
    let link: (any NetworkLink)?
    var profile: NetworkProfile = .online
    var linkObserved = false
    let logger: Logger
    let tokenCache: any Keychain
    var token: String?
    var store: (any PhoneStore)?
    /// `.memory` storage: the one store of this phone's life, kept across power cycles like a file would be.
    let memoryStore: MemoryStore?
    let storeOverride: (any PhoneStore)?
    /// Set by `shutdown()`: events that arrive later are dropped.
    var stopped = false
    /// Writes the disk refused, in order, kept in memory until a retry gets them through.
    var unsaved: [UnsavedWrite] = []
    var requestTask: Task<Void, Never>?
    var socket: WebSocketConnection?
    var observers: [Int: @Sendable (DeviceState) -> Void] = [:]
    var nextObserverID = 0
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// The task sleeping until the core's next deadline (wall clock only).
    var wallTimer: (deadline: Int64, task: Task<Void, Never>)?

    public init(_ configuration: PhoneConfiguration, clock: SimClock, api: MattermostAPI? = nil, logger: Logger? = nil,
                link: (any NetworkLink)? = nil) {
        self.init(configuration, clock: clock, api: api, logger: logger, link: link, keychain: nil, store: nil)
    }

    /// `keychain` and `store` replace the configured ones (tests put a disk that fills up under them).
    init(_ configuration: PhoneConfiguration, clock: SimClock, api: MattermostAPI?, logger: Logger?,
         link: (any NetworkLink)?, keychain: (any Keychain)?, store: (any PhoneStore)?) {
        self.configuration = configuration
        self.clock = clock
        let direct = api ?? MattermostAPI(baseURL: configuration.serverURL)
        self.directAPI = direct
        self.api = direct
        self.link = link
        self.logger = logger ?? Logger(label: "mmsim.phone.\(configuration.name)")
        let folder = configuration.dataDirectory.appendingPathComponent("keychain")
        self.tokenCache = keychain ?? (configuration.storage == .memory ? MemoryKeychain() : TokenCache(folder: folder))
        self.storeOverride = store
        self.memoryStore = configuration.storage == .memory ? MemoryStore() : nil
        self.state = DeviceState(name: configuration.name, deviceID: configuration.deviceID,
                                 serverURL: configuration.serverURL, revokePolicy: configuration.revokePolicy,
                                 app: configuration.app)
    }

    // MARK: What a person does

    /// Boot and cold start: read the token cache and the local store, then let the core decide.
    public func powerOn() {
        guard !state.powered else { return }
        var snapshot = BootSnapshot()
        do {
            // A `.memory` phone writes nothing to disk: no folder either.
            if configuration.storage != .memory { try AtomicFile.ensurePrivateFolder(configuration.dataDirectory) }
            store = try openStore()
            snapshot = try store?.load(server: configuration.serverURL) ?? BootSnapshot()
        } catch {
            logger.warning("local store unreadable: \(error)")
            dispatch(.note(.decision, "local store unreadable → starting empty"))
        }
        switch tokenCache.read(serverURL: configuration.serverURL) {
        case .found(let entry) where entry.userID == snapshot.account?.id:
            token = entry.token
            snapshot.hasToken = true
        case .found:
            token = nil
            dispatch(.note(.decision, "cached token belongs to another account → ignored"))
        case .empty:
            token = nil
        case .corrupt(let reason):
            logger.warning("\(reason); treating it as no token")
            dispatch(.note(.decision, "\(reason) → treated as no token"))
            tokenCache.wipe(serverURL: configuration.serverURL)
        }
        dispatch(.booted(snapshot))
    }

    public func powerOff() {
        dispatch(.powerOff)
        token = nil
        store = nil
        unsaved = []  // memory is gone with the app process
    }

    /// The link's quality from now on (timeline: "network: slow-3g"). Survives power cycles, like the place the
    /// phone is in. Without a fault proxy only `online` exists.
    public func setNetwork(_ newProfile: NetworkProfile) {
        guard newProfile != profile else { return }
        guard let link else {
            dispatch(.note(.radio, "network: \(newProfile.rawValue) needs the fault proxy → stays online"))
            return
        }
        if !linkObserved {
            linkObserved = true
            link.onHold(route: name) { [weak self] in Task { await self?.resumeIdleWaiters() } }
        }
        profile = newProfile
        link.setProfile(newProfile, route: name)
        let url = link.baseURL(route: name, profile: newProfile)
        let pathChanged = url != api.baseURL
        if pathChanged {
            api = newProfile == .online ? directAPI : directAPI.rebased(to: url)
            link.abandon(route: name, requests: true, sockets: true)
        }
        dispatch(.networkChanged(newProfile, pathChanged: pathChanged))
    }

    public var network: NetworkProfile { profile }

    /// The one way in for what a person does on the phone (keys, taps, airplane mode, the app's lifecycle).
    public func send(_ event: DeviceEvent) { dispatch(event) }

    /// Types the credentials into the login screen and submits, as a person would (from the real app's
    /// server screen, "Connect" first).
    public func login(username: String, password: String) {
        if state.screen == .server { dispatch(.connectServer) }
        dispatch(.typeUsername(username))
        dispatch(.typePassword(password))
        dispatch(.submitLogin)
    }

    /// Writes a message; it goes to the outbox at once and is sent when the phone is live.
    @discardableResult
    public func compose(channelID: String, text: String) -> Bool {
        guard state.isLoggedIn else { return false }
        dispatch(.compose(channelID: channelID, text: text, pendingPostID: MattermostID.new()))
        return true
    }

    // MARK: Observing and driving

    @discardableResult
    public func observe(_ onChange: @escaping @Sendable (DeviceState) -> Void) -> Int {
        nextObserverID += 1
        observers[nextObserverID] = onChange
        onChange(state)
        return nextObserverID
    }

    public func stopObserving(_ id: Int) { observers[id] = nil }

    /// Nothing in flight and no timer due now: a driver may move the clock. Work the link holds on the clock
    /// (a delayed or blackholed request, a swallowed ping) counts as idle: only moving time can end it.
    public var isIdle: Bool {
        var pending = state.inFlight == nil ? 0 : 1
        switch state.socket {
        case .connecting, .awaitingPong: pending += 1
        case .open, .closed: break
        }
        if pending > 0 {
            guard profile != .online, let link, link.heldCount(route: name) >= pending else { return false }
        }
        if let deadline = nextDeadline, deadline <= clock.nowMillis { return false }
        return true
    }

    public func waitUntilIdle() async {
        fireDueTimers()
        if isIdle { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    /// When the link next releases something it holds for this phone (nil: nothing held on a deadline).
    public var linkDeadline: Int64? { profile == .online ? nil : link?.nextDeadline(route: name) }

    /// The phone's own timers and, under a profile, the moment the link releases what it holds.
    public var nextDeadline: Int64? {
        [state.nextDeadline, linkDeadline].compactMap { $0 }.min()
    }

    /// The next moment something other than an idle ping is due: a long wait may jump to it in one go.
    public var nextEssentialDeadline: Int64? {
        let own = state.timers.filter { $0.key != .ping && $0.key != .clearBanner }.values.min()
        return [own, linkDeadline].compactMap { $0 }.min()
    }

    /// Fires every timer whose deadline has passed on the clock (a virtual-clock driver calls this after advancing).
    public func fireDueTimers() {
        if profile != .online { link?.wakeDue() }
        while let (kind, deadline) = state.timers.min(by: { $0.value < $1.value }), deadline <= clock.nowMillis {
            // The core clears a due timer before anything else, so this loop always ends.
            dispatch(.timerFired(kind))
        }
    }

    public func tokenCacheIsEmpty() -> Bool { tokenCache.isEmpty(serverURL: configuration.serverURL) }
    /// The keychain's file (nil for a `.memory` phone, which has none).
    public var tokenCacheFile: URL? { (tokenCache as? TokenCache)?.fileURL(for: configuration.serverURL) }

    /// What the keychain holds for this server, as an outside observer (the soak's invariants) reads it.
    public var cachedToken: TokenCache.Entry? {
        if case .found(let entry) = tokenCache.read(serverURL: configuration.serverURL) { return entry }
        return nil
    }

    public func storedOutboxCount() -> Int {
        guard let store = store ?? (try? openStore()) else { return 0 }
        return (try? store.outboxCount(server: configuration.serverURL)) ?? 0
    }

    /// Stops everything this phone runs (not a power-off: nothing is logged).
    public func shutdown() {
        stopped = true
        requestTask?.cancel()
        socket?.close()
        wallTimer?.task.cancel()
        wallTimer = nil
        observers = [:]
        resumeIdleWaiters(force: true)
    }

    // MARK: The loop: event → core → effects

    func dispatch(_ event: DeviceEvent) {
        // After shutdown nothing more happens: an answer still on its way must not open a socket or a timer
        // that a stopping server would then wait on.
        guard !stopped else { return }
        let effects = DeviceCore.reduce(&state, event, now: clock.nowMillis)
        for effect in effects { run(effect) }
        for observer in observers.values { observer(state) }
        armWallTimer()
        resumeIdleWaiters()
    }

    func resumeIdleWaiters(force: Bool = false) {
        guard !idleWaiters.isEmpty, force || isIdle else { return }
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    func openStore() throws -> any PhoneStore {
        if let storeOverride { return storeOverride }
        if let memoryStore { return memoryStore }
        let path = configuration.dataDirectory.appendingPathComponent("store.sqlite").path
        do {
            return try LocalStore(path: path, durable: configuration.durableStore)
        } catch {
            // A corrupt store is set aside, never fatal: the phone starts empty.
            try? FileManager.default.moveItem(atPath: path, toPath: path + ".corrupt-\(clock.nowMillis)")
            return try LocalStore(path: path, durable: configuration.durableStore)
        }
    }

    func run(_ effect: DeviceEffect) {
        switch effect {
        case .request(let request, let password):
            requestTask?.cancel()
            let token = self.token
            let api = self.api
            let deviceID = configuration.deviceID
            requestTask = Task {
                let result = await Self.perform(request.call, api: api, token: token, password: password, deviceID: deviceID)
                // Let go of the finished task before the response starts the next one: a task keeps its
                // allocator's slabs (~32 KiB after an HTTP call) until its last handle goes.
                if self.state.inFlight?.id == request.id { self.requestTask = nil }
                self.dispatch(.response(requestID: request.id, result))
            }
        case .cancelRequest:
            requestTask?.cancel()
            requestTask = nil
            if profile != .online { link?.abandon(route: name, requests: true, sockets: false) }
        case .openSocket(let id, let resume, let tokenOnUpgrade):
            openSocket(id: id, resume: resume, tokenOnUpgrade: tokenOnUpgrade)
        case .closeSocket:
            socket?.close()
            socket = nil
            if profile != .online { link?.abandon(route: name, requests: false, sockets: true) }
        case .sendPing(let seq):
            socket?.send(WebSocketRequest(seq: seq, action: WebSocketRequest.ping))
        case .storeToken(let newToken):
            token = newToken
            persist(.token(.init(serverURL: configuration.serverURL, token: newToken, userID: state.account?.id ?? "")))
        case .wipeToken:
            token = nil
            // A token the disk refused earlier must not come back after the wipe.
            unsaved.removeAll { if case .token = $0 { return true } else { return false } }
            tokenCache.wipe(serverURL: configuration.serverURL)
        case .retryUnsavedWrites:
            flushUnsaved()
        case .logoutRemotely:
            if let token {
                let api = self.api
                Task { try? await api.logout(token: token) }
            }
        case .save(let change):
            guard store != nil else { return }
            persist(.store(change))
        }
    }

    static func perform(_ call: APICall, api: MattermostAPI, token: String?, password: String?,
                        deviceID: String) async -> Result<APIResult, ClientError> {
        do throws(ClientError) {
            if case .login(let username) = call {
                let result = try await api.login(loginID: username, password: password ?? "", deviceID: deviceID)
                return .success(.loggedIn(result.user, token: result.token))
            }
            guard let token else { return .failure(.unauthorized(nil)) }
            switch call {
            case .login: return .failure(.malformed("unreachable"))
            case .me: return .success(.user(try await api.me(token: token)))
            case .teams: return .success(.teams(try await api.myTeams(token: token)))
            case .channels(let teamID): return .success(.channels(try await api.myChannels(token: token, teamID: teamID)))
            case .posts(let channelID, let since):
                return .success(.posts(try await api.posts(token: token, channelID: channelID, since: since)))
            case .createPost(let item):
                let request = CreatePostRequest(channelID: item.channelID, message: item.message, pendingPostID: item.pendingPostID)
                return .success(.post(try await api.createPost(token: token, request)))
            case .logout:
                try await api.logout(token: token)
                return .success(.done)
            case .clientConfig: return .success(.json(try await api.getJSON(APIPath.clientConfig, token: token)))
            case .clientLicense: return .success(.json(try await api.getJSON(APIPath.clientLicense, token: token)))
            case .preferences: return .success(.json(try await api.getJSON(APIPath.myPreferences, token: token)))
            case .teamMembers: return .success(.json(try await api.getJSON(APIPath.myTeamMembers, token: token)))
            case .channelMembers(let teamID):
                return .success(.json(try await api.getJSON(APIPath.myChannelMembers(team: teamID), token: token)))
            case .mySessions: return .success(.json(try await api.getJSON(APIPath.mySessions, token: token)))
            case .viewChannel(let channelID):
                let body: JSONValue = .object(["channel_id": .string(channelID), "prev_channel_id": .string(""),
                                               "collapsed_threads_supported": .bool(true)])
                return .success(.json(try await api.postJSON(APIPath.viewChannel, body: body, token: token)))
            }
        } catch {
            if Task.isCancelled { return .failure(.network("cancelled")) }
            return .failure(error)
        }
    }

    func openSocket(id: Int, resume: WebSocketResume?, tokenOnUpgrade: Bool) {
        guard let token else {
            dispatch(.socketClosed(id: id, reason: "no token"))
            return
        }
        socket?.close()
        let connection = WebSocketConnection(baseURL: api.baseURL, trust: api.trust)
        socket = connection
        let resumeQuery = resume.map { (connectionID: $0.connectionID, sequenceNumber: $0.sequenceNumber) }
        // No task waits on the socket: its frames, then its end, arrive in order through the receiver.
        connection.start(token: token, resume: resumeQuery, tokenOnUpgrade: tokenOnUpgrade) { event in
            switch event {
            case .opened: await self.dispatch(.socketUpgraded(id: id))
            case .frame(let frame): await self.received(frame, socketID: id)
            case .closed(let reason): await self.dispatch(.socketClosed(id: id, reason: reason))
            }
        }
    }

    func received(_ frame: WebSocketFrame, socketID id: Int) {
        guard state.socket.id == id else { return }
        switch frame {
        case .event(let event) where event.event == WebSocketEvent.hello:
            dispatch(.socketHello(id: id, connectionID: event.data["connection_id"]?.stringValue ?? ""))
        case .event(let event) where event.event == WebSocketEvent.posted:
            if let json = event.data["post"]?.stringValue,
               let post = try? JSONDecoder().decode(Post.self, from: Data(json.utf8)) {
                dispatch(.socketPosted(post, seq: event.seq))
            }
        case .event:
            break
        case .reply(let reply) where reply.seqReply >= 2:
            // Only a pong counts as one (websocket/index.ts onMessage: `data.text === 'pong'`).
            let pong = reply.status == "OK" && reply.data?["text"]?.stringValue == "pong"
            dispatch(.pingReply(id: id, seq: reply.seqReply, authenticated: pong))
        case .reply(let reply):
            if reply.status != "OK" { dispatch(.challengeRefused(id: id)) }
        }
    }

    /// On a wall clock the phone fires its own timers; a virtual-clock driver calls `fireDueTimers` instead.
    /// Re-armed only when the next deadline moves: a new sleeping task per event showed in fleet profiles.
    func armWallTimer(force: Bool = false) {
        guard clock.mode == .wall else { return }
        let next = state.nextDeadline
        if !force, next == wallTimer?.deadline { return }
        wallTimer?.task.cancel()
        // Not kept once cancelled: a task handle holds the task's memory.
        wallTimer = nil
        guard let deadline = next else { return }
        let delay = max(0, deadline - clock.nowMillis)
        wallTimer = (deadline, Task {
            try? await Task.sleep(for: .milliseconds(delay))
            guard !Task.isCancelled else { return }
            self.wallTimer = nil
            self.fireDueTimers()
        })
    }

    /// The wall clock jumped (F6): timers that are now due fire at once.
    public func clockMoved() {
        fireDueTimers()
        armWallTimer(force: true)
    }
}
