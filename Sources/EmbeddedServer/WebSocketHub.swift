/// The web connections, by connection id (`platform/web_hub.go` Hub). A connection whose socket closed stays,
/// inactive, until a client resumes it or the reaper drops it. Knows nothing of sessions: the service decides who
/// is still live.
actor WebSocketHub {
    /// `inactiveConnReaperInterval`: Mattermost reaps, every 5 minutes, inactive connections whose last activity
    /// is more than 5 minutes old. We drop one as soon as it is that old (the earliest the ticker could).
    static let inactiveLifetimeMillis: Int64 = 5 * 60_000

    private var connections: [String: WebSocketConnection] = [:]
    private var shuttingDown = false
    private var lastSweep: Int64 = 0
    private var noneActiveWaiters: [CheckedContinuation<Void, Never>] = []

    /// False once the server is stopping: a late upgrade is closed at once.
    func add(_ connection: WebSocketConnection, nowMillis: Int64) -> Bool {
        guard !shuttingDown else { return false }
        // Like Mattermost's ticker, sweep now and then, not on every connect (fleets connect thousands at once).
        if nowMillis - lastSweep >= Self.inactiveLifetimeMillis { reap(nowMillis: nowMillis) }
        connections[connection.id] = connection
        return true
    }

    func remove(_ connection: WebSocketConnection) {
        if connections[connection.id] === connection { connections[connection.id] = nil }
    }

    /// `RemoveInactiveByConnectionID`: the inactive connection `id` of `userID`, taken out of the hub for a resume.
    func takeInactive(id: String, userID: String, nowMillis: Int64) -> WebSocketConnection? {
        guard let connection = connections[id], !connection.isActive else { return nil }
        if Self.isStale(connection, nowMillis: nowMillis) {
            connections[id] = nil
            return nil
        }
        guard connection.identity?.userID == userID else { return nil }
        connections[id] = nil
        return connection
    }

    private static func isStale(_ connection: WebSocketConnection, nowMillis: Int64) -> Bool {
        !connection.isActive && nowMillis - connection.lastActivityAt > inactiveLifetimeMillis
    }

    /// `RemoveInactiveConnections`.
    private func reap(nowMillis: Int64) {
        lastSweep = nowMillis
        connections = connections.filter { !Self.isStale($1, nowMillis: nowMillis) }
    }

    /// Registered connections (active or not) whose user is one of `userIDs`.
    func connections(of userIDs: Set<String>) -> [WebSocketConnection] {
        connections.values.filter { connection in
            connection.identity.map { userIDs.contains($0.userID) } ?? false
        }
    }

    /// `UpdateWebConnUserActivity`: the active connections of a session note its activity.
    func touch(userID: String, tokenHash: String, nowMillis: Int64) {
        for connection in connections.values where connection.isActive {
            if let identity = connection.identity, identity.userID == userID, identity.tokenHash == tokenHash {
                connection.touch(nowMillis: nowMillis)
            }
        }
    }

    var activeCount: Int { connections.values.filter(\.isActive).count }

    /// Returns once no socket is attached to any connection.
    func waitUntilNoneActive() async {
        if activeCount == 0 { return }
        await withCheckedContinuation { noneActiveWaiters.append($0) }
    }

    /// A socket went away: whoever waits for none to be active goes on if that is now so.
    func socketEnded() {
        guard !noneActiveWaiters.isEmpty, activeCount == 0 else { return }
        let waiters = noneActiveWaiters
        noneActiveWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Sends every socket a close frame (1001 going away) so the server can then stop gracefully.
    func closeAll() {
        shuttingDown = true
        for connection in connections.values { connection.close(.shutdown) }
    }
}
