/// How long `mmsim demo` keeps each screen up so that a captioned step takes `seconds` in all: its caption alone
/// for a third, then its result for the rest, the step's own run time included. A step without a caption passes
/// in half of that. Times are seconds on any monotonic clock; a pause moves every deadline on by its length.
public struct DemoPace: Sendable, Equatable {
    public let seconds: Double
    /// When the current step's time is up.
    public private(set) var stepEnds: Double = 0

    public init(seconds: Double) { self.seconds = seconds }

    /// A step begins at `now`: returns until when its caption shows alone (`now` when it has none).
    public mutating func stepStarts(at now: Double, captioned: Bool) -> Double {
        stepEnds = now + (captioned ? seconds : seconds / 2)
        return captioned ? now + seconds / 3 : now
    }

    /// The step ran, finishing at `now`: returns until when its result shows. A slow step (a login against a
    /// distant server) still shows its captioned result for a third of the pace.
    public func resultShows(from now: Double, captioned: Bool) -> Double {
        max(stepEnds, captioned ? now + seconds / 3 : now)
    }

    /// The audience paused for `length` seconds: the step keeps all of its time.
    public mutating func paused(for length: Double) {
        stepEnds += length
    }

    /// The audience skipped ahead (→) at `now`: the step's time is up.
    public mutating func skip(at now: Double) {
        stepEnds = now
    }
}
