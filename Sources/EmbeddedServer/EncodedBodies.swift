import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// JSON bodies by value, for the lists every fleet phone fetches at login (its teams, its channels, a channel's
/// posts): thousands of phones get equal lists, and Foundation's JSONEncoder on Linux was ~3% of the server's
/// CPU for them. The bytes are a function of the value, so a hit writes what encoding it afresh would — with one
/// caveat the key's design answers: Swift's `==` on strings is canonical equivalence, so two values differing only
/// in Unicode normalization would share bytes. Every cached value carries row ids and timestamps, and no route
/// renames a team or channel or edits a post, so two such rows cannot meet here.
enum EncodedBodies {
    /// Bounds: past 256 bodies or 16 MiB everything is dropped (a refill costs one encoding each). A body over
    /// 256 KiB is never kept: the fleet's lists are a few KiB, while any user can post 200 messages of 16,383
    /// control characters and ask for them (~20 MiB of JSON a page, plus the value kept as its key).
    static let limit = 256
    static let budgetBytes = 16 << 20
    static let maxEntryBytes = 256 << 10
    private static let cache = Mutex<(entries: [AnyHashable: ByteBuffer], bytes: Int)>(([:], 0))

    static func json<T: Encodable & Hashable & Sendable>(_ value: T) throws -> Response {
        let body = try bytes(value)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    static func bytes<T: Encodable & Hashable & Sendable>(_ value: T) throws -> ByteBuffer {
        if let hit = cache.withLock({ $0.entries[AnyHashable(value)] }) { return hit }
        let body = ByteBuffer(data: try HTTP.encoder.encode(value))
        guard body.readableBytes <= maxEntryBytes else { return body }
        cache.withLock { cache in
            if cache.entries.count >= limit || cache.bytes + body.readableBytes > budgetBytes { cache = ([:], 0) }
            if let old = cache.entries.updateValue(body, forKey: AnyHashable(value)) { cache.bytes -= old.readableBytes }
            cache.bytes += body.readableBytes
        }
        return body
    }

    static var count: Int { cache.withLock { $0.entries.count } }
    static var bytes: Int { cache.withLock { $0.bytes } }
}
