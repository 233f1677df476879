/// `--shard I/N`: the I-th of N disjoint, contiguous slices of a fleet's phones (as Jest's and Playwright's
/// `--shard`). Of D phones, shard I runs phones ⌊(I−1)·D/N⌋+1 … ⌊I·D/N⌋: the slices cover every phone once and
/// differ in size by one at most. Phone k keeps its global name `phone-k` and account (`user-k`, or line
/// k of the credentials, wrapping), whichever shard runs it.
public struct FleetShard: Sendable, Codable, Equatable {
    /// 1-based.
    public var index: Int
    public var count: Int
    /// Phones over all shards (`--devices`).
    public var totalDevices: Int
    /// The 1-based numbers of this shard's first and last phone.
    public var firstPhone: Int
    public var lastPhone: Int

    public var devices: Int { lastPhone - firstPhone + 1 }
    /// 0-based global indices of this shard's phones.
    public var indices: Range<Int> { (firstPhone - 1)..<lastPhone }
    public var label: String { "\(index)/\(count)" }

    public init(index: Int, count: Int, totalDevices: Int) throws(FleetShardError) {
        guard count >= 1 else { throw .badCount(count) }
        guard (1...count).contains(index) else { throw .badIndex(index, count) }
        guard count <= totalDevices else { throw .moreShardsThanPhones(count, totalDevices) }
        self.index = index
        self.count = count
        self.totalDevices = totalDevices
        firstPhone = Self.phones(before: index - 1, of: count, totalDevices: totalDevices) + 1
        lastPhone = Self.phones(before: index, of: count, totalDevices: totalDevices)
    }

    /// ⌊slices·D/N⌋ at double width: a report's shard is input, and slices·D must not trap (the quotient is at most D).
    static func phones(before slices: Int, of count: Int, totalDevices: Int) -> Int {
        count.dividingFullWidth(slices.multipliedFullWidth(by: totalDevices)).quotient
    }

    /// `I/N` as given on the command line, then checked against the phones.
    public static func parse(_ text: String, totalDevices: Int) throws(FleetShardError) -> FleetShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { throw .syntax(text) }
        return try FleetShard(index: index, count: count, totalDevices: totalDevices)
    }
}

extension FleetShard {
    private enum CodingKeys: String, CodingKey { case index, count, totalDevices, firstPhone, lastPhone }

    /// A report's shard is input to `mmsim fleet merge`: it must be one `--shard` could have made, its phones
    /// those of its slice, else the merge's checks (every shard 1…N once) would count on nonsense.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let index = try container.decode(Int.self, forKey: .index)
        let count = try container.decode(Int.self, forKey: .count)
        let totalDevices = try container.decode(Int.self, forKey: .totalDevices)
        do throws(FleetShardError) {
            self = try FleetShard(index: index, count: count, totalDevices: totalDevices)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .index, in: container, debugDescription: "\(error)")
        }
        let first = try container.decode(Int.self, forKey: .firstPhone), last = try container.decode(Int.self, forKey: .lastPhone)
        guard first == firstPhone, last == lastPhone else {
            throw DecodingError.dataCorruptedError(forKey: .firstPhone, in: container, debugDescription:
                "shard \(label) of \(totalDevices) phones runs phones \(firstPhone)–\(lastPhone), not \(first)–\(last)")
        }
    }
}

public enum FleetShardError: Error, Equatable, CustomStringConvertible {
    case syntax(String)
    case badCount(Int)
    case badIndex(Int, Int)
    case moreShardsThanPhones(Int, Int)

    public var description: String {
        switch self {
        case .syntax(let text): return "--shard expects I/N (shard I of N, e.g. 2/3), got '\(text)'"
        case .badCount(let count): return "--shard I/N needs N of at least 1, got \(count)"
        case let .badIndex(index, count): return "--shard \(index)/\(count): I must be from 1 to \(count)"
        case let .moreShardsThanPhones(count, devices):
            return "--shard …/\(count) with \(devices) phones would leave shards without phones: use at most \(devices) shards"
        }
    }
}
