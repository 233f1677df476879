/// Latencies counted in fixed log-linear buckets of microseconds, so that reports of any two fleets (shards on
/// other machines) merge by adding counts. Below 64 µs a bucket is 1 µs wide; above, each power of two is cut
/// into 32 equal buckets, so a bucket is at most 1/32 of its values wide (a percentile read from it is within
/// 1.6% of the true one). The scheme is fixed: it is part of the JSON, and a merge refuses any other.
public struct FleetHistogram: Sendable, Equatable {
    public static let scheme = "log-linear-us-32"
    static let subBuckets: UInt64 = 32
    /// Below this, one bucket per microsecond.
    static let linearLimit: UInt64 = 2 * subBuckets

    /// Counts by the bucket's lowest value in microseconds, lowest first, no empty bucket.
    public private(set) var buckets: [(from: UInt64, count: Int)] = []

    public init() {}

    public init(nanoseconds samples: [UInt64]) {
        var counts: [UInt64: Int] = [:]
        for sample in samples { counts[Self.bucketStart(ofMicros: sample / 1000), default: 0] += 1 }
        buckets = counts.sorted { $0.key < $1.key }.map { (from: $0.key, count: $0.value) }
    }

    /// A report's histogram counts at most this many samples: more than any fleet takes, few enough that
    /// millions of reports merge without overflow.
    public static let maxReportCount = 1 << 40

    /// Fails when a bucket does not start where the scheme starts one, counts are not positive, or their total
    /// does not fit an Int.
    public init?(buckets given: [(from: UInt64, count: Int)]) {
        var counts: [UInt64: Int] = [:]
        var total = 0
        for (from, count) in given {
            guard count > 0, Self.bucketStart(ofMicros: from) == from else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { return nil }
            total = sum
            counts[from, default: 0] += count
        }
        buckets = counts.sorted { $0.key < $1.key }.map { (from: $0.key, count: $0.value) }
    }

    public var count: Int { buckets.reduce(0) { $0 + $1.count } }

    public static func + (lhs: FleetHistogram, rhs: FleetHistogram) -> FleetHistogram {
        // Both sides hold valid bucket starts, so the union is valid too.
        FleetHistogram(buckets: lhs.buckets + rhs.buckets) ?? FleetHistogram()
    }

    public static func == (lhs: FleetHistogram, rhs: FleetHistogram) -> Bool {
        lhs.buckets.elementsEqual(rhs.buckets) { $0.from == $1.from && $0.count == $1.count }
    }

    /// The nearest-rank percentile (`p` in 0...1) in milliseconds: the middle of the bucket holding that rank.
    public func percentile(_ p: Double) -> Double? {
        let total = count
        guard total > 0 else { return nil }
        let rank = Swift.min(total, Swift.max(1, Int((p * Double(total)).rounded(.up))))
        var seen = 0
        for (from, count) in buckets {
            seen += count
            if seen >= rank { return Self.middleMillis(of: from) }
        }
        return nil
    }

    static func bucketStart(ofMicros value: UInt64) -> UInt64 {
        guard value >= linearLimit else { return value }
        let width = bucketWidth(ofMicros: value)
        return value / width * width
    }

    /// 1 µs below `linearLimit`; above, 1/32 of the power of two the value lies in.
    static func bucketWidth(ofMicros value: UInt64) -> UInt64 {
        guard value >= linearLimit else { return 1 }
        let octave = UInt64(63 - value.leadingZeroBitCount)  // value lies in [2^octave, 2^(octave+1))
        return UInt64(1) << (octave - 5)
    }

    static func middleMillis(of from: UInt64) -> Double {
        let width = bucketWidth(ofMicros: from)
        let middle = width == 1 ? Double(from) : Double(from) + Double(width) / 2
        return middle / 1000
    }
}

extension FleetHistogram: Codable {
    private enum CodingKeys: String, CodingKey { case scheme, buckets }

    /// `{"scheme": "log-linear-us-32", "buckets": [[fromMicros, count], …]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.scheme, forKey: .scheme)
        try container.encode(buckets.map { [$0.from, UInt64($0.count)] }, forKey: .buckets)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let scheme = try container.decode(String.self, forKey: .scheme)
        guard scheme == Self.scheme else {
            throw DecodingError.dataCorruptedError(forKey: .scheme, in: container,
                                                   debugDescription: "histogram scheme '\(scheme)', expected '\(Self.scheme)'")
        }
        let pairs = try container.decode([[UInt64]].self, forKey: .buckets)
        guard pairs.allSatisfy({ $0.count == 2 && $0[1] > 0 && $0[1] <= UInt64(Self.maxReportCount) }),
              let histogram = FleetHistogram(buckets: pairs.map { (from: $0[0], count: Int($0[1])) }),
              histogram.count <= Self.maxReportCount else {
            throw DecodingError.dataCorruptedError(forKey: .buckets, in: container, debugDescription:
                "buckets must be [fromMicros, count] pairs at bucket starts of the scheme, counts above 0 and \(Self.maxReportCount) at most in all")
        }
        self = histogram
    }
}
