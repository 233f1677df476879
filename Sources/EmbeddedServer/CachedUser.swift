import GRDB
import Hummingbird
import MattermostModel
import NIOCore

/// A user row as cached by StoreCache, with the JSON `GET /users/{id}` answers for it: encoding the User with
/// JSONEncoder was a quarter of that route's CPU. The bytes are encoded from this very row when it is read,
/// so they can never describe another version of the user, and they go with the row on any write.
struct CachedUser: Sendable {
    let user: StoredUser
    let json: ByteBuffer

    init(_ user: StoredUser) throws {
        self.user = user
        json = ByteBuffer(data: try HTTP.encoder.encode(user.model))
    }
}

extension Store {
    /// Every authenticated request reads its user: served from `cache` once read.
    func cachedUser(id: String) async throws -> CachedUser? {
        let generation: UInt64
        switch cache.user(id: id) {
        case .hit(let user): return user
        case .miss(let current): generation = current
        }
        let user = try await read { db in try Self.user(id: id, db) }
        guard let user else { return nil }
        let cached = try CachedUser(user)
        cache.remember(cached, generation: generation)
        return cached
    }
}

extension Store {
    /// A row login read by name: its JSON is the login answer, and the phone's next request reads the user by id,
    /// so the row fills the cache now (unless a write raced the read: `generation` is from before it).
    func cacheUser(_ user: StoredUser, readUnder generation: UInt64) throws -> CachedUser {
        let cached = try CachedUser(user)
        cache.remember(cached, generation: generation)
        return cached
    }
}

extension API {
    /// `GET /users/{id}` (and `/users/me`): the cached bytes, byte for byte what `HTTP.json(user.model)` writes.
    func userResponse(_ id: String) async throws -> Response {
        guard let cached = try await store.cachedUser(id: id) else { throw APIErrors.userNotFound }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: cached.json))
    }
}
