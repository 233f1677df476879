/// The open sockets, by connection id. Knows nothing of sessions: the service decides who is still live.
actor WebSocketHub {
    private var connections: [String: WebSocketConnection] = [:]
    private var shuttingDown = false

    /// False once the server is stopping: a late upgrade is closed at once.
    func add(_ connection: WebSocketConnection) -> Bool {
        guard !shuttingDown else { return false }
        connections[connection.id] = connection
        return true
    }

    func remove(_ connection: WebSocketConnection) {
        connections[connection.id] = nil
    }

    /// Authenticated connections whose user is one of `userIDs`.
    func connections(of userIDs: Set<String>) -> [WebSocketConnection] {
        connections.values.filter { connection in
            connection.identity.map { userIDs.contains($0.userID) } ?? false
        }
    }

    var count: Int { connections.count }

    /// Sends every socket a close frame (1001 going away) so the server can then stop gracefully.
    func closeAll() {
        shuttingDown = true
        for connection in connections.values { connection.close(.shutdown) }
    }
}
