/// A phone's story, stamped with simulation time: radio and power changes, requests, decisions.
public struct Timeline: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case radio, power, request, socket, decision, user }

    public struct Entry: Sendable, Equatable, Codable {
        public var at: Int64
        public var kind: Kind
        public var text: String
    }

    public static let capacity = 500
    public private(set) var entries: [Entry] = []
    /// Counts every request ever logged, even those rotated out.
    public private(set) var requestCount = 0

    public mutating func append(_ kind: Kind, _ text: String, at: Int64) {
        if kind == .request { requestCount += 1 }
        entries.append(Entry(at: at, kind: kind, text: text))
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    public func last(_ count: Int) -> ArraySlice<Entry> { entries.suffix(count) }

    /// Every entry's text through `transform` (an output's secret scrubber).
    public mutating func redact(_ transform: (String) -> String) {
        for index in entries.indices { entries[index].text = transform(entries[index].text) }
    }
}
