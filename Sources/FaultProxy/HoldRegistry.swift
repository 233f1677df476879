import MattermostModel
import Synchronization

/// Work the proxy holds back on the simulation clock: a delayed request or frame (a deadline), or a blackholed one
/// (no deadline, held until abandoned). Phones read the counts and deadlines so that a virtual-clock driver moves
/// time to the next deadline instead of waiting forever for an answer that only time can bring.
final class HoldRegistry: Sendable {
    enum Kind: Sendable { case request, socket }

    struct Hold {
        var route: String
        var kind: Kind
        var deadline: Int64?
        var continuation: CheckedContinuation<Bool, Never>
    }

    struct State {
        var holds: [Int: Hold] = [:]
        var cancelledEarly: Set<Int> = []
        var nextID = 0
        var listeners: [String: [@Sendable () -> Void]] = [:]
    }

    let clock: SimClock
    let state = Mutex(State())

    init(clock: SimClock) { self.clock = clock }

    /// Waits until `deadline` on the clock (nil: until abandoned). true: the deadline came; false: abandoned.
    func hold(route: String, kind: Kind, until deadline: Int64?) async -> Bool {
        if let deadline, deadline <= clock.nowMillis { return true }
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let listeners: [@Sendable () -> Void]? = state.withLock { s in
                    if s.cancelledEarly.remove(id) != nil { return nil }
                    s.holds[id] = Hold(route: route, kind: kind, deadline: deadline, continuation: continuation)
                    return s.listeners[route] ?? []
                }
                guard let listeners else {
                    continuation.resume(returning: false)
                    return
                }
                for listener in listeners { listener() }
                if clock.mode == .wall, let deadline { scheduleWallWake(at: deadline) }
            }
        } onCancel: {
            // Atomic: either the hold is registered (release it) or it will see the mark and not wait.
            let found: Hold? = state.withLock { s in
                if let hold = s.holds.removeValue(forKey: id) { return hold }
                s.cancelledEarly.insert(id)
                return nil
            }
            found?.continuation.resume(returning: false)
        }
    }

    /// On a wall clock nobody drives time: sleep until the deadline, then wake what is due.
    func scheduleWallWake(at deadline: Int64) {
        let delay = max(0, deadline - clock.nowMillis)
        Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(delay))
            self?.wakeDue()
        }
    }

    func wakeDue() {
        let now = clock.nowMillis
        let due = take { hold, _ in hold.deadline.map { $0 <= now } ?? false }
        for hold in due { hold.continuation.resume(returning: true) }
    }

    func abandon(route: String, kinds: Set<Kind>, onlyBlackholed: Bool = false) {
        let dropped = take { hold, _ in
            hold.route == route && kinds.contains(hold.kind) && (!onlyBlackholed || hold.deadline == nil)
        }
        for hold in dropped { hold.continuation.resume(returning: false) }
    }

    func take(_ match: (Hold, Int) -> Bool) -> [Hold] {
        state.withLock { s in
            let ids = s.holds.filter { match($0.value, $0.key) }.map(\.key)
            return ids.compactMap { s.holds.removeValue(forKey: $0) }
        }
    }

    func count(route: String) -> Int {
        state.withLock { s in s.holds.values.filter { $0.route == route }.count }
    }

    func nextDeadline(route: String) -> Int64? {
        state.withLock { s in s.holds.values.filter { $0.route == route }.compactMap(\.deadline).min() }
    }

    func onHold(route: String, _ listener: @escaping @Sendable () -> Void) {
        state.withLock { $0.listeners[route, default: []].append(listener) }
    }

    func notify(route: String) {
        let listeners = state.withLock { $0.listeners[route] ?? [] }
        for listener in listeners { listener() }
    }
}
