import ArgumentParser

/// The allowed range of every numeric option, checked in `validate()` so that a value the code cannot hold
/// (an overflow, an infinite timeout, NaN) is refused with exit 2 before anything runs.
enum OptionRange {
    static let stepTimeoutSeconds = 0.01...86_400.0
    static let phaseTimeoutSeconds = 0.01...86_400.0
    static let paceSeconds = 0.1...60.0
    /// 100 years: far beyond Mattermost's default (720 h), and hours × 3.6e6 ms stays far from overflow.
    static let sessionLengthMobileHours = 1...876_000
    static let port = 0...65_535
    static let fleetDevices = 1...100_000
    static let fleetConcurrency = 1...10_000
    /// Scenarios at once: each holds a server, its phones and their sockets; beyond a few per core only memory grows.
    static let jobs = 1...256
    static let soakDevices = 1...10_000
    /// A year of simulated time.
    static let soakMinutes = 1...525_600
    static let crashRounds = 1...1_000_000_000
    static let crashPadding = 0...1_000_000

    static func check(_ value: Double, _ option: String, in range: ClosedRange<Double>, unit: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be between \(text(range.lowerBound)) and \(text(range.upperBound)) \(unit), got \(value).")
        }
    }

    /// `86400`, not `86400.0`.
    static func text(_ value: Double) -> String { value == value.rounded() ? "\(Int(value))" : "\(value)" }

    static func check<T: Comparable & CustomStringConvertible>(_ value: T, _ option: String, in range: ClosedRange<T>,
                                                                 unit: String = "") throws {
        guard range.contains(value) else {
            let suffix = unit.isEmpty ? "" : " \(unit)"
            throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound)\(suffix), got \(value).")
        }
    }
}
