import MattermostClient
import MattermostModel

/// Reconnecting and the REST sync: one request at a time, from `state.syncQueue`.
extension Reducer {
    /// The reference client's sync after a reconnect: the session first, then what the screens show.
    static let revalidateSteps: [SyncStep] = [.revalidate, .teams, .channels, .openSocket, .flushOutbox]

    /// The real app's entry sync (entry/common.ts `entryRest`): config, license and preferences; teams, their
    /// memberships and the user; the team's channels and memberships. Posts follow for an open channel.
    var entrySteps: [SyncStep] {
        var steps: [SyncStep] = [.clientConfig, .clientLicense, .preferences, .teams, .teamMembers, .revalidate,
                                 .channels, .channelMembers]
        if case .channel(let id) = state.screen { steps += [.posts(channelID: id), .viewChannel(id)] }
        return steps
    }

    /// Network back, a retry, the app in front again.
    mutating func startReconnect(reason: String) {
        state.timers[.retry] = nil
        switch rules.reconnect {
        case .revalidateFirst:
            state.connection = .connecting
            if state.banner != .restored { state.banner = .connecting }
            log(.decision, "\(reason) → revalidate the session first (GET /users/me)")
            state.syncQueue = Self.revalidateSteps
            pump()
        case .socketFirst:
            openSocketOnly(reason: "\(reason) → open the WebSocket (websocket_manager.ts openAll); no REST call on this path")
        }
    }

    /// The first connection of the app process (cold start, login): the reference model revalidates; the real
    /// app opens its socket and runs the entry sync beside it without waiting (websocket_manager.ts
    /// `initializeClient` → `handleFirstConnect`).
    mutating func firstConnect(reason: String) {
        switch rules.reconnect {
        case .revalidateFirst:
            startReconnect(reason: reason)
        case .socketFirst:
            state.connection = .connecting
            log(.decision, "\(reason) → open the WebSocket and run the entry sync (REST) beside it (initializeClient)")
            state.syncQueue = [.openSocket] + entrySteps
            pump()
        }
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
                openSocketNow()
            case .flushOutbox:
                if let item = state.sendableOutbox.first(where: { $0.state == .pending }) {
                    setOutboxState(item.pendingPostID, .sending)
                    state.syncQueue.insert(.flushOutbox, at: 0)
                    send(.createPost(item))
                }
            case .clientConfig: send(.clientConfig)
            case .clientLicense: send(.clientLicense)
            case .preferences: send(.preferences)
            case .teamMembers: send(.teamMembers)
            case .channelMembers:
                if let team = state.team { send(.channelMembers(teamID: team.id)) }
            case .sessions: send(.mySessions)
            case .viewChannel(let id): send(.viewChannel(channelID: id))
            }
        }
        // The real app counts itself connected by its socket, not by the REST sync.
        if rules.reconnect == .revalidateFirst, state.inFlight == nil, state.syncQueue.isEmpty, state.isLoggedIn,
           state.connection == .connecting {
            becameLive()
        }
    }

    mutating func becameLive() {
        state.connection = .live
        state.failures = 0
        if state.banner == .connecting || state.banner == .unreachable || state.banner == .noNetwork {
            showRestored()
        }
        log(.decision, "session valid → synced and live")
    }

    mutating func showRestored() {
        state.banner = .restored
        state.timers[.clearBanner] = now + (rules.reconnect == .socketFirst
            ? Intervals.mobileBannerMillis : Intervals.restoredBannerMillis)
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
        if case .createPost(let item) = request.call { postNotSent(item, why: why) }
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
            state.phase = .session(user)
            state.loginForm = LoginForm(username: user.username)
            state.screen = .channels
            state.banner = nil
            state.connection = .connecting
            log(.decision, "logged in as \(user.username) → token to the keychain → fetch teams, channels, posts")
            switch rules.reconnect {
            case .revalidateFirst: state.syncQueue = [.teams, .channels, .openSocket, .flushOutbox]
            case .socketFirst: state.syncQueue = [.openSocket] + entrySteps.filter { $0 != .revalidate }
            }
        case .user(let user):
            if let account = state.account, account.id != user.id {
                endSession(banner: .sessionRevoked, why: "the server knows this token as another user", cause: .revoked)
                return
            }
            state.phase = .session(user)
            effects.append(.save(.account(user)))
        case .teams(let teams):
            let team = teams.sorted { $0.displayName < $1.displayName }.first
            state.team = team
            if let team { effects.append(.save(.team(team))) }
        case .channels(let channels):
            let sorted = channels.sorted { $0.displayName.lowercased() < $1.displayName.lowercased() }
            state.channels = sorted
            effects.append(.save(.channels(sorted)))
            // The reference client fetches every channel; the real app only the one that is open.
            if rules.reconnect == .revalidateFirst {
                state.syncQueue.insert(contentsOf: sorted.map { .posts(channelID: $0.id) }, at: 0)
            }
        case .posts(let list):
            merge(list.chronological)
        case .post(let post):
            if case .createPost(let item) = call { removeFromOutbox(item.pendingPostID) }
            merge([post])
        case .json(let json):
            if call == .clientConfig {
                let reliable = ReliableWebSocket.supported(config: json)
                state.webSocket.reliable = reliable
                log(.decision, reliable
                    ? "server supports reliable websockets (Version ≥ 6.5; config.ts hasReliableWebsocket) → reconnects resume"
                    : "no reliable websockets → every reopen runs the REST sync")
            }
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
                postNotSent(item, why: "\(error)")
                if rules.unsent == .failedWithManualRetry { return }  // a 401 on create does not log out (post.ts)
            }
        }
        switch rules.logoutOn401 {
        case .confirmedByMe: referenceFailure(call, error)
        case .anyFetch: mobileFailure(call, error)
        }
    }

    /// The reference client: only `GET /users/me` may end a session; nothing but a 401 ever does.
    mutating func referenceFailure(_ call: APICall, _ error: ClientError) {
        switch error {
        case .unauthorized:
            if call == .me {
                endSession(banner: .sessionRevoked, why: "GET /users/me answered 401: session revoked or expired", cause: .revoked)
            } else {
                log(.decision, "401 on \(call.summary) → revalidate")
                state.syncQueue = Self.revalidateSteps
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

    /// The real app: any 401 of a fetch logs out at once, without a server call or an alert; other failures
    /// end that sync (the socket's own retry goes on).
    mutating func mobileFailure(_ call: APICall, _ error: ClientError) {
        switch error {
        case .unauthorized where call.forcesLogoutOn401:
            endSession(banner: nil, why: "\(call.summary) answered 401 → forceLogoutIfNecessary (session.ts): logout, no alert",
                       cause: .revoked)
        case .unauthorized:
            log(.decision, "401 on \(call.summary) → only logged (no forceLogoutIfNecessary there)")
        case .forbidden, .rejected:
            break
        case .server, .network, .malformed:
            state.syncQueue = []
            log(.decision, "sync failed (\(error)) → stay logged in; no REST retry until the next trigger")
        }
    }
}
