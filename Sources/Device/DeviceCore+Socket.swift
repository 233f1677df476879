import MattermostClient
import MattermostModel

/// The WebSocket and the timers: liveness, retries, the app's background close.
extension Reducer {
    mutating func openSocketOnly(reason: String) {
        state.connection = .connecting
        log(.decision, reason)
        openSocketNow()
    }

    mutating func openSocketNow() {
        guard state.socket == .closed else { return }
        let id = state.nextSocketID
        state.nextSocketID += 1
        state.socket = .connecting(id: id)
        state.webSocket.authenticated = false
        var resume: WebSocketResume?
        if rules.reconnect == .socketFirst, state.webSocket.reliable != false, let connectionID = state.webSocket.connectionID {
            resume = WebSocketResume(connectionID: connectionID, sequenceNumber: state.webSocket.sequence)
        }
        state.webSocket.resuming = resume != nil
        effects.append(.openSocket(id: id, resume: resume, tokenOnUpgrade: rules.tokenOnSocketUpgrade))
    }

    mutating func closeSocket() {
        guard state.socket != .closed else { return }
        effects.append(.closeSocket)
        state.socket = .closed
        state.timers[.ping] = nil
    }

    /// The upgrade is done and the challenge is out. The reference client waits for `hello`; the real app counts
    /// itself connected now, resets its failure count and pings at once (websocket/index.ts `onOpen`).
    mutating func socketUpgraded(_ id: Int) {
        guard state.socket == .connecting(id: id), rules.reconnect == .socketFirst else { return }
        if rules.socketOpenResetsFailures { state.failures = 0 }
        let firstSinceLaunch = !state.webSocket.everConnected
        state.webSocket.everConnected = true
        state.timers[.retry] = nil
        sendPing(id: id)
        state.connection = .live
        if !firstSinceLaunch, state.banner == .noNetwork || state.banner == .unreachable { showRestored() }
        log(.socket, "WebSocket open → authentication_challenge sent, ping at once; counted as connected without waiting for hello")
        if !firstSinceLaunch, state.webSocket.reliable == false {
            log(.decision, "no reliable websockets → every reopen runs the REST sync (doReconnect)")
            state.syncQueue = entrySteps
            pump()
        }
    }

    mutating func socketHello(_ id: Int, connectionID: String) {
        guard state.socket.id == id else { return }
        switch rules.reconnect {
        case .revalidateFirst:
            guard state.socket == .connecting(id: id) else { return }
            state.socket = .open(id: id)
            state.timers[.ping] = now + Intervals.pingMillis
            log(.socket, "WebSocket authenticated (hello)")
        case .socketFirst:
            state.webSocket.authenticated = true
            let previous = state.webSocket.connectionID
            state.webSocket.connectionID = connectionID
            state.webSocket.sequence = 1
            if previous == nil {
                log(.socket, "hello: connection id noted (first connect: the entry sync runs already)")
            } else if previous != connectionID {
                log(.decision, "hello with a new connection id → REST sync (websocket/index.ts onMessage → doReconnect)")
                if state.webSocket.reliable != false {
                    state.syncQueue = entrySteps
                    pump()
                }
            } else {
                log(.socket, "hello with the same connection id → resumed, no REST sync")
            }
        }
    }

    mutating func socketClosed(_ id: Int, reason: String) {
        guard state.socket.id == id else { return }
        let wasOpen = state.socket != .connecting(id: id)
        state.socket = .closed
        state.timers[.ping] = nil
        log(.socket, "WebSocket closed: \(reason)")
        guard state.powered, !state.airplane, state.isLoggedIn else { return }
        switch rules.reconnect {
        case .revalidateFirst:
            state.failures += 1
            state.timers[.retry] = now + Backoff.delayMillis(afterFailures: state.failures)
        case .socketFirst:
            let atChallenge = wasOpen && !state.webSocket.authenticated
            scheduleSocketRetry(why: atChallenge
                ? "socket closed at authentication (server sends no reply)" : "WebSocket closed (websocket/index.ts onClose)")
        }
    }

    /// The real app's client retries by itself; nothing here calls REST, so the screen keeps its cached channels.
    mutating func scheduleSocketRetry(why: String) {
        state.failures += 1
        let delay = Backoff.delayMillis(afterFailures: state.failures)
        state.timers[.retry] = now + delay
        state.connection = .unreachable
        if state.webSocket.everConnected, state.visibility == .foreground { state.banner = .noNetwork }
        let seconds = delay / 1000
        log(.decision, "\(why) → retry in \(seconds) s; no REST call yet → still showing cached channels")
    }

    mutating func challengeRefused(_ id: Int) {
        guard state.socket.id == id else { return }
        switch rules.reconnect {
        case .revalidateFirst:
            closeSocket()
            log(.socket, "WebSocket closed: authentication refused")
            guard state.powered, !state.airplane, state.isLoggedIn else { return }
            state.failures += 1
            state.timers[.retry] = now + Backoff.delayMillis(afterFailures: state.failures)
        case .socketFirst:
            log(.socket, "challenge answered with an error → ignored (only a pong counts)")
        }
    }

    mutating func socketPosted(_ post: Post, seq: Int64) {
        if seq > 0 { state.webSocket.sequence = seq + 1 }
        merge([post])
    }

    mutating func sendPing(id: Int) {
        let seq = state.nextPingSeq
        state.nextPingSeq += 1
        state.socket = .awaitingPong(id: id, seq: seq)
        effects.append(.sendPing(seq: seq))
        state.timers[.ping] = now + Intervals.pingMillis
    }

    mutating func pingReply(id: Int, seq: Int64, authenticated: Bool) {
        guard state.socket == .awaitingPong(id: id, seq: seq) else { return }
        if authenticated {
            state.socket = .open(id: id)
            if rules.reconnect == .socketFirst, !state.webSocket.authenticated {
                state.webSocket.authenticated = true
                if state.webSocket.resuming {
                    log(.socket, "pong without a hello → the server resumed the connection (same id), no REST sync")
                }
            }
            return
        }
        log(.socket, "ping answered not_authenticated")
        switch rules.reconnect {
        case .revalidateFirst:
            closeSocket()
            startReconnect(reason: "WebSocket says the session is gone")
        case .socketFirst:
            log(.decision, "an error reply is only logged; no pong by the next tick closes the socket")
        }
    }

    mutating func timerFired(_ kind: TimerKind) {
        guard let deadline = state.timers[kind], deadline <= now else { return }
        state.timers[kind] = nil
        switch kind {
        case .retry:
            guard state.powered, !state.airplane, state.isLoggedIn else { return }
            switch rules.reconnect {
            case .revalidateFirst: startReconnect(reason: "retry")
            case .socketFirst: openSocketOnly(reason: "retry → reopen the WebSocket; no REST call on this path")
            }
        case .ping:
            switch state.socket {
            case .open(let id):
                sendPing(id: id)
            case .awaitingPong:
                log(.socket, "no pong within \(Intervals.pingMillis / 1000) s")
                closeSocket()
                switch rules.reconnect {
                case .revalidateFirst: startReconnect(reason: "WebSocket silent")
                case .socketFirst: scheduleSocketRetry(why: "socket closed for want of a pong")
                }
            case .closed, .connecting:
                break
            }
        case .requestTimeout:
            guard let request = state.inFlight else { return }
            effects.append(.cancelRequest)
            response(id: request.id, .failure(.network("timeout")))
        case .clearBanner:
            if state.banner == .restored { state.banner = nil }
        case .diskRetry:
            effects.append(.retryUnsavedWrites)
        case .backgroundClose:
            guard state.visibility == .background else { return }
            state.timers[.retry] = nil
            guard state.socket != .closed else { return }
            closeSocket()
            log(.socket, "\(Intervals.backgroundCloseMillis / 1000) s in the background → WebSocket closed, no retry (websocket_manager.ts)")
        }
    }
}
