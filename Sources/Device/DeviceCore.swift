import MattermostClient
import MattermostModel

/// The phone's brain, pure: `reduce(state, event, now)` → new state + effects. No IO, no clock reads.
/// What differs between app models is read from `state.rules`, never by asking which model runs.
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

    var rules: AppRules { state.rules }

    mutating func log(_ kind: Timeline.Kind, _ text: String) {
        state.timeline.append(kind, text, at: now)
    }

    mutating func handle(_ event: DeviceEvent) {
        // The app cannot be used from the background: touching it opens it first ("Open the Mattermost app").
        if state.visibility == .background, event.isTouchingTheApp { comeToForeground() }
        switch event {
        case .booted(let snapshot): boot(snapshot)
        case .powerOff: powerOff()
        case .setAirplane(let on): setAirplane(on)
        case .networkChanged(let profile, let pathChanged): networkChanged(profile, pathChanged: pathChanged)
        // Logging in, the app has dismissed the keyboard (login/form.tsx onLogin: Keyboard.dismiss()).
        case .typeUsername(let text): if !state.loginForm.submitting { state.loginForm.username = text }
        case .typePassword(let text): if !state.loginForm.submitting { state.loginForm.password = text }
        case .focus(let field): state.loginForm.focus = field
        case .submitLogin: submitLogin()
        case .logout: userLogout()
        case .compose(let channelID, let text, let pendingPostID): compose(channelID: channelID, text: text, pendingPostID: pendingPostID)
        case .retryPost(let pendingPostID): retryPost(pendingPostID)
        case .openChannel(let id): openChannel(id)
        case .back:
            if case .channel = state.screen { state.screen = .channels }
        case .background: goToBackground()
        case .foreground: comeToForeground()
        case .connectServer: connectServer()
        case .setApp(let model): setApp(model)
        case .response(let id, let result): response(id: id, result)
        case .socketUpgraded(let id): socketUpgraded(id)
        case .socketHello(let id, let connectionID): socketHello(id, connectionID: connectionID)
        case .socketClosed(let id, let reason): socketClosed(id, reason: reason)
        case .socketPosted(let post, let seq): socketPosted(post, seq: seq)
        case .challengeRefused(let id): challengeRefused(id)
        case .pingReply(let id, let seq, let authenticated): pingReply(id: id, seq: seq, authenticated: authenticated)
        case .timerFired(let kind): timerFired(kind)
        case .diskWriteFailed(let what, let reason):
            if state.diskProblem == nil {
                log(.decision, "could not save the \(what) (\(reason)) → kept in memory only, retry in \(Intervals.diskRetryMillis / 1000) s")
            }
            state.diskProblem = "\(what) not saved: \(reason)"
            state.timers[.diskRetry] = now + Intervals.diskRetryMillis
        case .diskWritesSaved:
            guard state.diskProblem != nil else { return }
            state.diskProblem = nil
            state.timers[.diskRetry] = nil
            log(.decision, "saved to disk what was kept in memory")
        case .note(let kind, let text): log(kind, text)
        }
    }

    // MARK: Power and radio

    mutating func boot(_ snapshot: BootSnapshot) {
        state.phase = .loggedOut
        state.visibility = .foreground
        log(.power, "power on: cold start (\(rules.model.rawValue) app)")
        state.outbox = snapshot.outbox
        state.loginForm = LoginForm(username: snapshot.lastUsername)
        if snapshot.hasToken, let account = snapshot.account {
            state.phase = .session(account)
            state.team = snapshot.team
            state.channels = snapshot.channels
            state.posts = snapshot.posts
            state.screen = .channels
            log(.decision, "token found in cache → show cached channels (offline first)")
            if state.airplane {
                goOffline()
            } else {
                firstConnect(reason: "cold start with a token")
            }
        } else {
            if snapshot.hasToken {
                effects.append(.wipeToken)
                log(.decision, "token without a cached account → discarded")
            }
            showLoggedOut(banner: state.airplane ? .noNetwork : nil)
        }
    }

    mutating func powerOff() {
        guard state.powered else { return }
        if state.inFlight != nil { effects.append(.cancelRequest) }
        if state.socket != .closed { effects.append(.closeSocket) }
        var fresh = DeviceState(name: state.name, deviceID: state.deviceID, serverURL: state.serverURL,
                                revokePolicy: state.revokePolicy, app: state.app)
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
            state.timers[.retry] = nil
            state.timers[.requestTimeout] = nil
            if state.isLoggedIn { goOffline() } else {
                state.loginForm.submitting = false
                state.banner = .noNetwork
            }
        } else if state.isLoggedIn {
            state.failures = 0
            reconnectIfActive(reason: "network back")
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
            reconnectIfActive(reason: "network changed")
        }
    }

    mutating func goOffline() {
        state.connection = .noNetwork
        // The real app says nothing before its first connection since launch (use_connection_banner.ts).
        if rules.reconnect == .revalidateFirst || state.webSocket.everConnected { state.banner = .noNetwork }
    }

    // MARK: App lifecycle

    mutating func goToBackground() {
        guard state.powered, state.visibility == .foreground else { return }
        state.visibility = .background
        state.timers[.backgroundClose] = now + Intervals.backgroundCloseMillis
        log(.user, "app to the background")
        if rules.reconnect == .socketFirst { state.banner = nil }  // the banner lives on the active screen only
        guard state.isLoggedIn else { return }
        if rules.checksSessionWhenInactive {
            log(.decision, "app inactive → check the session (session_manager.ts onAppStateChange → GET /users/me/sessions)")
            if state.airplane {
                log(.decision, "no network → the check fails quietly, no logout")
            } else {
                state.syncQueue.insert(.sessions, at: 0)
                pump()
            }
        }
    }

    mutating func comeToForeground() {
        guard state.powered, state.visibility == .background else { return }
        state.visibility = .foreground
        state.timers[.backgroundClose] = nil
        log(.user, "app to the foreground")
        guard state.isLoggedIn, !state.airplane else {
            if state.isLoggedIn { goOffline() }
            return
        }
        if rules.revalidatesOnForeground {
            startReconnect(reason: "app in the foreground")
        } else if state.socket == .closed {
            openSocketOnly(reason: "app active → open the WebSocket (websocket_manager.ts openAll); no REST call")
        } else {
            log(.decision, "app active, WebSocket still open → nothing to do (no REST call)")
        }
    }

    /// Network back or app active: reconnect only while the app is in front (websocket_manager.ts
    /// `handleStateChange` opens nothing in the background).
    mutating func reconnectIfActive(reason: String) {
        guard state.visibility == .foreground else {
            log(.decision, "\(reason) while in the background → wait for the foreground")
            return
        }
        startReconnect(reason: reason)
    }

    mutating func setApp(_ model: AppModel) {
        guard state.app != model else { return }
        guard state.powered, !state.isLoggedIn else {
            // A dark phone may hold a session on disk: the model changes only where the user sees it logged out.
            log(.decision, "app model stays \(state.app.rawValue): \(state.powered ? "log out first" : "power on and log out first")")
            return
        }
        state.app = model
        log(.user, "app model: \(model.rawValue)")
        if state.powered, state.screen == .login || state.screen == .server { showLoggedOut(banner: state.banner) }
    }

    // MARK: Login and logout

    /// The logged-out screen of this model, with the server prefilled where the real app prefills it.
    mutating func showLoggedOut(banner: Banner?) {
        state.screen = rules.loggedOutScreen
        state.connection = .loggedOut
        state.banner = banner
        state.loginForm.focus = state.loginForm.username.isEmpty ? .username : .password
    }

    mutating func connectServer() {
        guard state.powered, state.screen == .server else { return }
        log(.user, "Connect \(state.serverURL) → login screen")
        state.screen = .login
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
        endSession(banner: nil, why: "logged out by the user", cause: .user)
    }

    /// The one way out of a session: everything of the server is wiped but, where the model keeps it, the
    /// sealed outbox.
    mutating func endSession(banner: Banner?, why: String, cause: SessionEnd) {
        abandonInFlight()
        closeSocket()
        let keep = rules.honoursKeepOutbox && state.revokePolicy == .keepOutbox
        effects.append(.wipeToken)
        effects.append(.save(.wipeServer(keepOutbox: keep)))
        let username = rules.loggedOutScreen == .login ? (state.account?.username ?? state.loginForm.username) : ""
        state.phase = .loggedOut
        state.lastSessionEnd = cause
        state.team = nil
        state.channels = []
        state.posts = [:]
        state.syncQueue = []
        state.timers[.retry] = nil
        state.timers[.ping] = nil
        state.timers[.clearBanner] = nil
        state.failures = 0
        state.webSocket = WebSocketMemory()
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
        let wiped = rules.honoursKeepOutbox ? "token cache wiped" : "token, database and unsent messages wiped"
        log(.decision, "\(why) → \(wiped) → \(rules.loggedOutScreen.name) screen\(kept)")
        showLoggedOut(banner: banner)
    }
}
