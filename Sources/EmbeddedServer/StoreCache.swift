import GRDB
import Synchronization

/// Sessions by token hash and users by id, in memory: the two reads every authenticated request made on the
/// one serial database queue (Mattermost keeps the same two caches, for the same reason).
///
/// Kept right by watching the database, not by trusting callers: as a GRDB transaction observer it drops the
/// cached sessions on every UPDATE or DELETE of `sessions`, and the cached users on every UPDATE or DELETE of
/// `users` — whichever Store function, present or future, or raw `db.write` made it. Revoke, logout,
/// deactivation, expiry on sight, password changes and the activity stamp are all covered without a list to
/// keep up to date. Inserts need nothing: only rows that were read are cached. Dropping a whole table's worth
/// is coarse on purpose: those writes are rare next to reads, and a refill costs each session the one read it
/// cost before.
///
/// A fill races a concurrent write (read row, write deletes it, fill stores the stale row): every drop bumps
/// `generation`, and a fill whose read began under an older generation is not stored.
final class StoreCache: TransactionObserver, Sendable {
    /// Bound per table: past it, the table's entries are dropped at once (the sessions table is not bounded —
    /// logins add rows — so the cache must be). Far above a fleet's session count.
    static let limit = 50_000

    private struct State {
        var generation: UInt64 = 0
        var sessions: [String: StoredSession] = [:]
        var users: [String: CachedUser] = [:]
        /// Set by a change inside a transaction, so that its commit bumps the generation again.
        var pending = false
    }

    private let state = Mutex(State())

    enum Lookup<Value> {
        case hit(Value)
        /// Pass `generation` back to `remember`.
        case miss(generation: UInt64)
    }

    func session(tokenHash: String) -> Lookup<StoredSession> {
        state.withLock { state in
            state.sessions[tokenHash].map { .hit($0) } ?? .miss(generation: state.generation)
        }
    }

    func user(id: String) -> Lookup<CachedUser> {
        state.withLock { state in
            state.users[id].map { .hit($0) } ?? .miss(generation: state.generation)
        }
    }

    func remember(_ session: StoredSession, generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.sessions.count >= Self.limit { state.sessions.removeAll() }
            state.sessions[session.tokenHash] = session
        }
    }

    func remember(_ user: CachedUser, generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.users.count >= Self.limit { state.users.removeAll() }
            state.users[user.user.id] = user
        }
    }

    /// For a fill whose row was read some other way than `user(id:)` (login reads by name).
    var generation: UInt64 { state.withLock { $0.generation } }

    var counts: (sessions: Int, users: Int) {
        state.withLock { ($0.sessions.count, $0.users.count) }
    }

    // MARK: TransactionObserver (called on the writer's queue)

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .insert: return false
        case .update(let table, _), .delete(let table): return table == "sessions" || table == "users"
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        let table = event.tableName
        state.withLock { state in
            state.generation &+= 1
            state.pending = true
            if table == "sessions" { state.sessions.removeAll() } else { state.users.removeAll() }
        }
    }

    /// Changes GRDB could not see in detail (`Database.notifyChanges`): drop everything.
    func databaseDidChange() {
        state.withLock { state in
            state.generation &+= 1
            state.pending = true
            state.sessions.removeAll()
            state.users.removeAll()
        }
    }

    /// The drop above happened before commit; a reader that does not wait for the writer (a DatabasePool one
    /// day) could still read the old row until now, so refuse fills begun before the commit too.
    func databaseDidCommit(_ db: Database) { endTransaction() }

    func databaseDidRollback(_ db: Database) { endTransaction() }

    private func endTransaction() {
        state.withLock { state in
            guard state.pending else { return }
            state.pending = false
            state.generation &+= 1
        }
    }
}
