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
    /// Bound: past it everything is dropped (a refill costs one encoding each).
    static let limit = 256
    private static let cache = Mutex<[AnyHashable: ByteBuffer]>([:])

    static func json<T: Encodable & Hashable & Sendable>(_ value: T) throws -> Response {
        let body = try bytes(value)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    static func bytes<T: Encodable & Hashable & Sendable>(_ value: T) throws -> ByteBuffer {
        if let hit = cache.withLock({ $0[AnyHashable(value)] }) { return hit }
        let body = ByteBuffer(data: try HTTP.encoder.encode(value))
        cache.withLock { cache in
            if cache.count >= limit { cache.removeAll() }
            cache[AnyHashable(value)] = body
        }
        return body
    }

    static var count: Int { cache.withLock { $0.count } }
}
