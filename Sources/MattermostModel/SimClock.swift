import Foundation
import Synchronization

/// The one clock of a run, in milliseconds since the epoch. Wall time plus an offset that only grows,
/// or a virtual time that moves only when a driver advances it. Server and phones share one.
public final class SimClock: Sendable {
    public enum Mode: Sendable { case wall, virtual }
    public let mode: Mode
    private let state: Mutex<Int64>  // offset (wall) or current time (virtual)

    public init(mode: Mode = .wall, startMillis: Int64? = nil) {
        self.mode = mode
        switch mode {
        case .wall: state = Mutex(0)
        case .virtual: state = Mutex(startMillis ?? SimClock.wallMillis())
        }
    }

    public static func wallMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    public var nowMillis: Int64 {
        switch mode {
        case .wall: return SimClock.wallMillis() + state.withLock { $0 }
        case .virtual: return state.withLock { $0 }
        }
    }

    public var offsetMillis: Int64 {
        mode == .wall ? state.withLock { $0 } : 0
    }

    /// Moves time forward; never backwards.
    public func advance(byMillis delta: Int64) {
        precondition(delta >= 0, "the clock never goes back")
        state.withLock { $0 += delta }
    }

    /// Virtual mode: jump to a moment (ignored if it is in the past).
    public func advance(toMillis target: Int64) {
        switch mode {
        case .virtual: state.withLock { $0 = max($0, target) }
        case .wall: let delta = target - nowMillis; if delta > 0 { advance(byMillis: delta) }
        }
    }
}
