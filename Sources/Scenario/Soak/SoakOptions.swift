import Foundation
import MattermostClient
import MattermostModel

/// `mmsim soak`: N phones behind the fault proxy, M simulated minutes of random actions, one seed.
public struct SoakOptions: Sendable {
    public var devices: Int
    public var minutes: Int
    /// Seeds every random choice and the proxy's `lossy` drops.
    public var seed: UInt64
    /// Called with each failure as it is found (the CLI prints them at once).
    public var onFailure: (@Sendable (String) -> Void)?
    /// Where the run's folders go; nil: `ScratchRoot`.
    public var scratch: URL?

    public init(devices: Int, minutes: Int, seed: UInt64, onFailure: (@Sendable (String) -> Void)? = nil,
                scratch: URL? = nil) {
        self.devices = devices
        self.minutes = minutes
        self.seed = seed
        self.onFailure = onFailure
        self.scratch = scratch
    }
}

public struct SoakReport: Sendable, Equatable {
    public var devices: Int
    public var minutes: Int
    public var seed: UInt64
    public var actions = 0
    public var revocations = 0
    /// Revocations a phone noticed (it showed the login screen), and how many of those only after time passed.
    public var detections = 0
    public var lateDetections = 0
    public var composed = 0
    public var falseLogouts = 0
    public var missedRevocations = 0
    public var lost = 0
    public var duplicated = 0
    public var wrongAuthor = 0
    public var tokenLeaks = 0
    /// Other broken expectations (setup, a phone that cannot log in at the end, an unsent outbox).
    public var otherFailures = 0
    public var failures: [String] = []
    public var wallSeconds = 0.0

    public var passed: Bool {
        falseLogouts + missedRevocations + lost + duplicated + wrongAuthor + tokenLeaks + otherFailures == 0
    }

    public var summary: String {
        var line = "soak: \(devices) phones, \(minutes) simulated minutes, seed \(seed): \(actions) actions, "
            + "\(revocations) revocations, \(falseLogouts) false logouts, \(missedRevocations) missed revocations, "
            + "\(lost) lost, \(duplicated) duplicated, \(wrongAuthor) wrong author; "
            + String(format: "%.1f s wall", wallSeconds)
        line += "\n  \(composed) messages composed, \(detections) revocations detected (\(lateDetections) only after time passed), "
            + "\(tokenLeaks) token leaks, \(otherFailures) other failures"
        return line
    }

    public func text() -> String {
        var out = summary + "\n"
        let shown = failures.prefix(20)
        for failure in shown { out += "  FAIL \(failure)\n" }
        if failures.count > shown.count { out += "  … and \(failures.count - shown.count) more\n" }
        if !passed { out += "  replay: mmsim soak --devices \(devices) --minutes \(minutes) --seed \(seed)\n" }
        return out
    }
}
