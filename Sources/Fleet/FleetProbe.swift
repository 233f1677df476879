import Device
import Dispatch
import Synchronization

/// Watches one phone through its observer (called inside the phone's actor on every change), so the moments
/// it records are the phone's own: when it went live, when its radio came back, when it showed the login screen.
/// Times are monotonic nanoseconds (wall time, never the simulation clock).
final class FleetProbe: Sendable {
    enum Milestone: Sendable { case live, loggedOut }

    struct Record: Sendable {
        var wasLive = false
        var submittedAt: UInt64?
        var liveAt: UInt64?
        var airplane = false
        var airplaneOffAt: UInt64?
        var loggedOutAt: UInt64?
        var logoutBanner: Banner?
        var logoutCause: SessionEnd?
        /// What the phone last showed with its radio on, for a phone that went wrong without a logout (a refused
        /// login, no server): the offline phase's own "no network" would hide it.
        var banner: Banner?
        var requests = 0
        /// The login ended without a session (refused: wrong password, locked, deactivated; or no answer from
        /// the server): the phone does not try again by itself, so waiting for "live" is over.
        var loginEnded = false
        var expired = false
        var waiter: (Milestone, CheckedContinuation<Bool, Never>)?

        /// The milestone happened, or never will (a failed login is not retried).
        func settled(_ milestone: Milestone) -> Bool {
            switch milestone {
            case .live: return liveAt != nil || loginEnded
            case .loggedOut: return loggedOutAt != nil
            }
        }
    }

    let index: Int
    private let record = Mutex(Record())

    init(index: Int) { self.index = index }

    var snapshot: Record { record.withLock { $0 } }

    func see(_ state: DeviceState) {
        let now = DispatchTime.now().uptimeNanoseconds
        let resume: CheckedContinuation<Bool, Never>? = record.withLock { r in
            r.requests = state.timeline.requestCount
            if !state.airplane { r.banner = state.banner }
            if r.submittedAt != nil, r.liveAt == nil, !state.loginForm.submitting, !state.isLoggedIn { r.loginEnded = true }
            let socketUp: Bool
            switch state.socket {
            case .open, .awaitingPong: socketUp = true
            case .closed, .connecting: socketUp = false
            }
            if r.submittedAt == nil, state.loginForm.submitting { r.submittedAt = now }
            if r.liveAt == nil, state.isLoggedIn, state.connection == .live, socketUp {
                r.liveAt = now
                r.wasLive = true
            }
            if r.airplane, !state.airplane, r.airplaneOffAt == nil { r.airplaneOffAt = now }
            r.airplane = state.airplane
            if r.wasLive, r.loggedOutAt == nil, state.powered, !state.isLoggedIn {
                r.loggedOutAt = now
                r.logoutBanner = state.banner
                r.logoutCause = state.lastSessionEnd
            }
            guard let (milestone, continuation) = r.waiter, r.settled(milestone) else { return nil }
            r.waiter = nil
            return continuation
        }
        resume?.resume(returning: true)
    }

    /// True once the milestone is reached or can no longer be (a failed login); false if the phase's deadline
    /// passed first.
    func wait(for milestone: Milestone) async -> Bool {
        await withCheckedContinuation { continuation in
            let answer: Bool? = record.withLock { r in
                if r.settled(milestone) { return true }
                if r.expired { return false }
                r.waiter = (milestone, continuation)
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// The phase's deadline: whoever still waits gives up; later waits give up at once.
    func expire() {
        let waiter = record.withLock { r in
            r.expired = true
            defer { r.waiter = nil }
            return r.waiter?.1
        }
        waiter?.resume(returning: false)
    }

    func rearm() { record.withLock { $0.expired = false } }
}
