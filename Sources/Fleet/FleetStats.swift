/// p50/p95/p99/max of per-phone latencies, in milliseconds. The percentiles are read from `histogram` (nearest
/// rank, the middle of its bucket) whether the figures come from one run or a merge of many, so both agree;
/// `max` is exact.
public struct FleetLatency: Sendable, Codable, Equatable {
    public var count: Int
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double
    /// The raw counts, for `mmsim fleet merge`.
    public var histogram: FleetHistogram

    public init?(nanoseconds samples: [UInt64]) {
        guard let top = samples.max() else { return nil }
        self.init(histogram: FleetHistogram(nanoseconds: samples), maxMillis: Double(top) / 1_000_000)
    }

    public init?(histogram: FleetHistogram, maxMillis: Double) {
        guard let p50 = histogram.percentile(0.50), let p95 = histogram.percentile(0.95),
              let p99 = histogram.percentile(0.99) else { return nil }
        count = histogram.count
        // A bucket's middle can lie above the largest value in it.
        self.p50 = Swift.min(p50, maxMillis)
        self.p95 = Swift.min(p95, maxMillis)
        self.p99 = Swift.min(p99, maxMillis)
        max = maxMillis
        self.histogram = histogram
    }

    /// The latency of the union of both sets of phones.
    public static func merged(_ a: FleetLatency?, _ b: FleetLatency?) -> FleetLatency? {
        guard let a else { return b }
        guard let b else { return a }
        return FleetLatency(histogram: a.histogram + b.histogram, maxMillis: Swift.max(a.max, b.max))
    }
}
