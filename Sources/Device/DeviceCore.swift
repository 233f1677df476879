import MattermostClient
import MattermostModel

/// The phone's brain, pure: `reduce(state, event, now)` → new state + effects. No IO, no clock reads.
public enum DeviceCore {
    public static func reduce(_ state: inout DeviceState, _ event: DeviceEvent, now: Int64) -> [DeviceEffect] {
        var reducer = Reducer(state: state, now: now)
        reducer.handle(event)
        state = reducer.state
        return reducer.effects
    }
}

/// One reduction step: accumulates effects while it edits a copy of the state.
struct Reducer {
    var state: DeviceState
    let now: Int64
    var effects: [DeviceEffect] = []

    init(state: DeviceState, now: Int64) {
        self.state = state
        self.now = now
    }

    mutating func log(_ kind: Timeline.Kind, _ text: String) {
        state.timeline.append(kind, text, at: now)
    }

    mutating func handle(_ event: DeviceEvent) {
        switch event {
        case .booted(let snapshot): boot(snapshot)
        case .powerOff: powerOff()
        case .setAirplane(let on): setAirplane(on)
        case .networkChanged(let profile, let pathChanged): networkChanged(profile, pathChanged: pathChanged)
        case .typeUsername(let text): state.loginForm.username = text
        case .typePassword(let text): state.loginForm.password = text
        case .focus(let field): state.loginForm.focus = field
        case .submitLogin: submitLogin()
        case .logout: userLogout()
        case .compose(let channelID, let text, let pendingPostID): compose(channelID: channelID, text: text, pendingPostID: pendingPostID)
        case .openChannel(let id):
            if state.isLoggedIn, state.channels.contains(where: { $0.id == id }) { state.screen = .channel(id) }
        case .back:
            if case .channel = state.screen { state.screen = .channels }
        case .response(let id, let result): response(id: id, result)
        case .socketOpened(let id): socketOpened(id)
        case .socketClosed(let id, let reason): socketClosed(id, reason: reason)
        case .socketPosted(let post): merge([post])
        case .pingReply(let id, let seq, let authenticated): pingReply(id: id, seq: seq, authenticated: authenticated)
        case .timerFired(let kind): timerFired(kind)
        case .note(let kind, let text): log(kind, text)
        }
    }

    // MARK: Power and radio

    mutating func boot(_ snapshot: BootSnapshot) {
        state.powered = true
        log(.power, "power on: cold start")
        state.outbox = snapshot.outbox
        state.loginForm = LoginForm(username: snapshot.lastUsername)
        if snapshot.hasToken, let account = snapshot.account {
            state.account = account
            state.hasToken = true
            state.team = snapshot.team
            state.channels = snapshot.channels
            state.posts = snapshot.posts
            state.screen = .channels
            log(.decision, "token found in cache → show cached channels (offline first)")
            if state.airplane {
                goOffline()
            } else {
                startReconnect(reason: "cold start with a token")
            }
        } else {
            if snapshot.hasToken {
                effects.append(.wipeToken)
                log(.decision, "token without a cached account → discarded")
            }
            showLogin(banner: state.airplane ? .noNetwork : nil)
        }
    }

    mutating func powerOff() {
        guard state.powered else { return }
        if state.inFlight != nil { effects.append(.cancelRequest) }
        if state.socket != .closed { effects.append(.closeSocket) }
        var fresh = DeviceState(name: state.name, deviceID: state.deviceID, serverURL: state.serverURL,
                                revokePolicy: state.revokePolicy)
        fresh.airplane = state.airplane
        fresh.network = state.network
        fresh.timeline = state.timeline
        fresh.nextRequestID = state.nextRequestID
        fresh.nextSocketID = state.nextSocketID
        state = fresh
        log(.power, "power off: app process gone, only the disk survives")
    }

    mutating func setAirplane(_ on: Bool) {
        guard state.airplane != on else { return }
        state.airplane = on
        log(.radio, on ? "airplane mode on" : "airplane mode off")
        guard state.powered else { return }
        if on {
            abandonInFlight()
            closeSocket()
            state.syncQueue = []
            state.timers = [:]
            if state.isLoggedIn { goOffline() } else {
                state.loginForm.submitting = false
                state.banner = .noNetwork
            }
        } else if state.isLoggedIn {
            state.failures = 0
            startReconnect(reason: "network back")
        } else if state.banner == .noNetwork {
            state.banner = nil
        }
    }

    /// A new path drops the old connections, as moving from Wi-Fi to cellular does; a logged-in app reconnects
    /// at once. A worse link on the same path is only felt through what the requests answer.
    mutating func networkChanged(_ profile: NetworkProfile, pathChanged: Bool) {
        guard state.network != profile else { return }
        state.network = profile
        log(.radio, "network: \(profile.rawValue)")
        guard pathChanged, state.powered, !state.airplane else { return }
        abandonInFlight(why: "network changed")
        closeSocket()
        if state.isLoggedIn {
            state.failures = 0
            startReconnect(reason: "network changed")
        }
    }

    mutating func goOffline() {
        state.connection = .noNetwork
        state.banner = .noNetwork
    }

    // MARK: Login and logout

    mutating func showLogin(banner: Banner?) {
        state.screen = .login
        state.connection = .loggedOut
        state.banner = banner
        state.loginForm.focus = state.loginForm.username.isEmpty ? .username : .password
    }

    mutating func submitLogin() {
        guard state.powered, state.screen == .login, !state.loginForm.submitting else { return }
        let form = state.loginForm
        if form.username.isEmpty { state.loginForm.focus = .username; return }
        if form.password.isEmpty { state.loginForm.focus = .password; return }
        if state.airplane {
            state.banner = .noNetwork
            return
        }
        state.loginForm.submitting = true
        state.loginForm.password = ""
        state.banner = nil
        send(.login(username: form.username), password: form.password)
    }

    mutating func userLogout() {
        guard state.isLoggedIn else { return }
        log(.user, "log out")
        if !state.airplane { effects.append(.logoutRemotely) }
        endSession(banner: nil, why: "logged out by the user")
    }

    /// The one way out of a session: everything of the server is wiped but, by policy, the sealed outbox.
    mutating func endSession(banner: Banner?, why: String) {
        abandonInFlight()
        closeSocket()
        let keep = state.revokePolicy == .keepOutbox
        effects.append(.wipeToken)
        effects.append(.save(.wipeServer(keepOutbox: keep)))
        let username = state.account?.username ?? state.loginForm.username
        state.account = nil
        state.hasToken = false
        state.team = nil
        state.channels = []
        state.posts = [:]
        state.syncQueue = []
        state.timers = [:]
        state.failures = 0
        if keep {
            state.outbox = state.outbox.map { item in
                var item = item
                if item.state == .sending { item.state = .pending }
                return item
            }
        } else {
            state.outbox = []
        }
        state.loginForm = LoginForm(username: username)
        let kept = keep && !state.outbox.isEmpty ? ", \(state.outbox.count) unsent message(s) kept sealed" : ""
        log(.decision, "\(why) → token cache wiped → login screen\(kept)")
        showLogin(banner: banner)
    }

    // MARK: Sync

    mutating func startReconnect(reason: String) {
        state.connection = .connecting
        if state.banner != .restored { state.banner = .connecting }
        state.timers[.retry] = nil
        log(.decision, "\(reason) → revalidate the session first (GET /users/me)")
        state.syncQueue = [.revalidate, .teams, .channels, .openSocket, .flushOutbox]
        pump()
    }

    mutating func enqueueFlush() {
        if !state.syncQueue.contains(.flushOutbox) { state.syncQueue.append(.flushOutbox) }
        pump()
    }

    /// Sends the next request of the queue, one at a time.
    mutating func pump() {
        while state.inFlight == nil, state.powered, !state.airplane, state.isLoggedIn, !state.syncQueue.isEmpty {
            let step = state.syncQueue.removeFirst()
            switch step {
            case .revalidate: send(.me)
            case .teams: send(.teams)
            case .channels:
                if let team = state.team { send(.channels(teamID: team.id)) }
            case .posts(let channelID):
                let since = state.posts[channelID]?.map { max($0.createAt, $0.updateAt) }.max()
                send(.posts(channelID: channelID, since: since))
            case .openSocket:
                if state.socket == .closed {
                    let id = state.nextSocketID
                    state.nextSocketID += 1
                    state.socket = .connecting(id: id)
                    effects.append(.openSocket(id: id))
                }
            case .flushOutbox:
                if let item = state.sendableOutbox.first(where: { $0.state == .pending }) {
                    setOutboxState(item.pendingPostID, .sending)
                    state.syncQueue.insert(.flushOutbox, at: 0)
                    send(.createPost(item))
                }
            }
        }
        if state.inFlight == nil, state.syncQueue.isEmpty, state.isLoggedIn, state.connection == .connecting {
            becameLive()
        }
    }

    mutating func becameLive() {
        state.connection = .live
        state.failures = 0
        if state.banner == .connecting || state.banner == .unreachable || state.banner == .noNetwork {
            state.banner = .restored
            state.timers[.clearBanner] = now + Intervals.restoredBannerMillis
        }
        log(.decision, "session valid → synced and live")
    }

    mutating func send(_ call: APICall, password: String? = nil) {
        let request = InFlightRequest(id: state.nextRequestID, call: call, startedAt: now)
        state.nextRequestID += 1
        state.inFlight = request
        state.timers[.requestTimeout] = now + Intervals.requestTimeoutMillis
        effects.append(.request(request, password: password))
    }

    /// Radio off or power off mid-request: the answer will never be read.
    mutating func abandonInFlight(why: String = "no network") {
        guard let request = state.inFlight else { return }
        effects.append(.cancelRequest)
        log(.request, "\(request.call.summary) → abandoned (\(why))")
        state.inFlight = nil
        state.timers[.requestTimeout] = nil
        if case .createPost(let item) = request.call { setOutboxState(item.pendingPostID, .pending) }
        if case .login = request.call { state.loginForm.submitting = false }
    }

    mutating func response(id: Int, _ result: Result<APIResult, ClientError>) {
        guard let request = state.inFlight, request.id == id else { return }  // stale: abandoned earlier
        state.inFlight = nil
        state.timers[.requestTimeout] = nil
        switch result {
        case .success(let value):
            log(.request, "\(request.call.summary) → \(successStatus(request.call))")
            succeeded(request.call, value)
        case .failure(let error):
            log(.request, "\(request.call.summary) → \(error)")
            failed(request.call, error)
        }
        pump()
    }

    func successStatus(_ call: APICall) -> Int {
        if case .createPost = call { return 201 }
        return 200
    }

    mutating func succeeded(_ call: APICall, _ value: APIResult) {
        switch value {
        case .loggedIn(let user, let token):
            effects.append(.storeToken(token))
            effects.append(.save(.account(user)))
            effects.append(.save(.lastUsername(user.username)))
            state.account = user
            state.hasToken = true
            state.loginForm = LoginForm(username: user.username)
            state.screen = .channels
            state.banner = nil
            state.connection = .connecting
            log(.decision, "logged in as \(user.username) → token cached → fetch teams, channels, posts")
            state.syncQueue = [.teams, .channels, .openSocket, .flushOutbox]
        case .user(let user):
            if let account = state.account, account.id != user.id {
                endSession(banner: .sessionRevoked, why: "the server knows this token as another user")
                return
            }
            state.account = user
            effects.append(.save(.account(user)))
        case .teams(let teams):
            let team = teams.sorted { $0.displayName < $1.displayName }.first
            state.team = team
            if let team { effects.append(.save(.team(team))) }
        case .channels(let channels):
            let sorted = channels.sorted { $0.displayName.lowercased() < $1.displayName.lowercased() }
            state.channels = sorted
            effects.append(.save(.channels(sorted)))
            state.syncQueue.insert(contentsOf: sorted.map { .posts(channelID: $0.id) }, at: 0)
        case .posts(let list):
            merge(list.chronological)
        case .post(let post):
            if case .createPost(let item) = call { removeFromOutbox(item.pendingPostID) }
            merge([post])
        case .done:
            break
        }
    }

    mutating func failed(_ call: APICall, _ error: ClientError) {
        if case .login = call {
            state.loginForm.submitting = false
            switch error {
            case .unauthorized(let appError), .forbidden(let appError), .rejected(_, let appError):
                state.banner = .loginFailed(appError?.message ?? "Enter a valid email or username and/or password.")
            default:
                state.banner = state.airplane ? .noNetwork : .unreachable
            }
            return
        }
        if case .createPost(let item) = call {
            switch error {
            case .forbidden, .rejected:
                setOutboxState(item.pendingPostID, .failed)
                return
            default:
                setOutboxState(item.pendingPostID, .pending)
            }
        }
        switch error {
        case .unauthorized:
            if call == .me {
                endSession(banner: .sessionRevoked, why: "GET /users/me answered 401: session revoked or expired")
            } else {
                log(.decision, "401 on \(call.summary) → revalidate")
                state.syncQueue = [.revalidate, .teams, .channels, .openSocket, .flushOutbox]
            }
        case .forbidden, .rejected:
            break  // that one step is refused; the rest of the sync goes on
        case .server, .network, .malformed:
            // Never a reason to log out: say so, and retry on the clock.
            state.syncQueue = []
            state.failures += 1
            state.connection = .unreachable
            state.banner = state.airplane ? .noNetwork : .unreachable
            let delay = Backoff.delayMillis(afterFailures: state.failures)
            state.timers[.retry] = now + delay
            log(.decision, "server not reachable (\(error)) → stay logged in, retry in \(delay / 1000) s")
        }
    }

    // MARK: WebSocket

    mutating func closeSocket() {
        guard state.socket != .closed else { return }
        effects.append(.closeSocket)
        state.socket = .closed
        state.timers[.ping] = nil
    }

    mutating func socketOpened(_ id: Int) {
        guard state.socket == .connecting(id: id) else { return }
        state.socket = .open(id: id)
        state.timers[.ping] = now + Intervals.pingMillis
        log(.socket, "WebSocket authenticated (hello)")
    }

    mutating func socketClosed(_ id: Int, reason: String) {
        guard state.socket.id == id else { return }
        state.socket = .closed
        state.timers[.ping] = nil
        log(.socket, "WebSocket closed: \(reason)")
        guard state.powered, !state.airplane, state.isLoggedIn else { return }
        state.failures += 1
        state.timers[.retry] = now + Backoff.delayMillis(afterFailures: state.failures)
    }

    mutating func pingReply(id: Int, seq: Int64, authenticated: Bool) {
        guard state.socket == .awaitingPong(id: id, seq: seq) else { return }
        if authenticated {
            state.socket = .open(id: id)
            return
        }
        log(.socket, "ping answered not_authenticated")
        closeSocket()
        startReconnect(reason: "WebSocket says the session is gone")
    }

    // MARK: Timers

    mutating func timerFired(_ kind: TimerKind) {
        guard let deadline = state.timers[kind], deadline <= now else { return }
        state.timers[kind] = nil
        switch kind {
        case .retry:
            if state.powered, !state.airplane, state.isLoggedIn { startReconnect(reason: "retry") }
        case .ping:
            switch state.socket {
            case .open(let id):
                let seq = state.nextPingSeq
                state.nextPingSeq += 1
                state.socket = .awaitingPong(id: id, seq: seq)
                effects.append(.sendPing(seq: seq))
                state.timers[.ping] = now + Intervals.pingMillis
            case .awaitingPong:
                log(.socket, "no pong within \(Intervals.pingMillis / 1000) s")
                closeSocket()
                startReconnect(reason: "WebSocket silent")
            case .closed, .connecting:
                break
            }
        case .requestTimeout:
            guard let request = state.inFlight else { return }
            effects.append(.cancelRequest)
            response(id: request.id, .failure(.network("timeout")))
        case .clearBanner:
            if state.banner == .restored { state.banner = nil }
        }
    }

    // MARK: Posts and outbox

    mutating func compose(channelID: String, text: String, pendingPostID: String) {
        guard state.isLoggedIn, let account = state.account, !text.isEmpty else { return }
        let item = OutboxItem(pendingPostID: pendingPostID, channelID: channelID, message: text,
                              authorID: account.id, createAt: now, state: .pending)
        state.outbox.append(item)
        effects.append(.save(.outboxPut(item)))
        log(.user, "message composed (\(text.count) chars), saved to the outbox")
        if state.connection == .live { enqueueFlush() }
    }

    /// Adds posts the server confirmed; an outbox item the server already has is delivered, not resent.
    mutating func merge(_ incoming: [Post]) {
        guard !incoming.isEmpty else { return }
        var changed: [Post] = []
        for post in incoming where state.channels.contains(where: { $0.id == post.channelID }) {
            var list = state.posts[post.channelID] ?? []
            if let index = list.firstIndex(where: { $0.id == post.id }) { list[index] = post } else { list.append(post) }
            list.sort { $0.createAt < $1.createAt }
            state.posts[post.channelID] = list
            changed.append(post)
            if !post.pendingPostID.isEmpty, post.userID == state.account?.id,
               let item = state.outbox.first(where: { $0.pendingPostID == post.pendingPostID }), item.state != .sending {
                log(.decision, "the server already has an outbox message → delivered, not resent")
                removeFromOutbox(item.pendingPostID)
            }
        }
        if !changed.isEmpty { effects.append(.save(.posts(changed))) }
    }

    mutating func removeFromOutbox(_ pendingPostID: String) {
        guard state.outbox.contains(where: { $0.pendingPostID == pendingPostID }) else { return }
        state.outbox.removeAll { $0.pendingPostID == pendingPostID }
        effects.append(.save(.outboxRemove(pendingPostID: pendingPostID)))
    }

    mutating func setOutboxState(_ pendingPostID: String, _ newState: OutboxItem.State) {
        guard let index = state.outbox.firstIndex(where: { $0.pendingPostID == pendingPostID }) else { return }
        state.outbox[index].state = newState
        effects.append(.save(.outboxPut(state.outbox[index])))
    }
}
