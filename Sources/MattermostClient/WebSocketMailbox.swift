import Synchronization

/// Hands a socket's events to an async receiver one at a time, in arrival order, from a task that exists only
/// while events wait: an idle socket holds no task (a parked task keeps its allocator slabs, kilobytes each).
final class WebSocketMailbox<Event: Sendable>: Sendable {
    private struct Queue {
        var events: [Event] = []
        var draining = false
    }

    private let queue = Mutex(Queue())
    private let receive: @Sendable (Event) async -> Void

    init(_ receive: @escaping @Sendable (Event) async -> Void) { self.receive = receive }

    func post(_ event: Event) {
        let startDrain = queue.withLock { q in
            q.events.append(event)
            if q.draining { return false }
            q.draining = true
            return true
        }
        if startDrain { Task { await self.drain() } }
    }

    private func drain() async {
        while let event = next() { await receive(event) }
    }

    private func next() -> Event? {
        queue.withLock { q in
            guard !q.events.isEmpty else {
                q.draining = false
                return nil
            }
            return q.events.removeFirst()
        }
    }
}
