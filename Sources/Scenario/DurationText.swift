import Foundation

/// `500ms`, `30s`, `3m`, `1h30m`, `2m30s`: units in descending order, each at most once.
/// A bare number is refused: `wait: 3` could mean seconds or minutes, and a test must not guess.
public enum DurationText {
    public static func millis(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("h", 3_600_000), ("ms", 1), ("m", 60_000), ("s", 1000)]
        let order = ["h": 0, "m": 1, "s": 2, "ms": 3]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var total: Int64 = 0
        var lastRank = -1
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }), let rank = order[unit],
                  rank > lastRank else { return nil }
            rest = rest.dropFirst(unit.count)
            lastRank = rank
            total += value * factor
        }
        return total
    }

    /// `180000` → `3m`, for messages.
    public static func text(_ millis: Int64) -> String {
        if millis == 0 { return "0s" }
        var parts: [String] = []
        var rest = millis
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            parts.append("\(rest / size)\(unit)")
            rest %= size
        }
        return parts.joined()
    }

    /// `3m05.250s`: elapsed time in timelines, failure messages and recordings.
    public static func clock(_ millis: Int64) -> String {
        let m = max(0, millis)
        let minutes = m / 60_000, seconds = (m % 60_000) / 1000, ms = m % 1000
        let s = seconds < 10 ? "0\(seconds)" : "\(seconds)"
        let f = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(minutes)m\(s).\(f)s"
    }
}
