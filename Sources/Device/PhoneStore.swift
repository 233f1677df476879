/// What a phone keeps between launches: account, team, channels, posts, the outbox, the last username.
/// `LocalStore` keeps it in SQLite (the app's database); `MemoryStore` in the process only (fleet runs, where
/// thousands of phones cannot each hold a database file and its lookaside buffers).
public protocol PhoneStore: Sendable {
    func apply(_ change: StoreChange, server: String) throws
    /// What a cold start shows. Never fails on rows that no longer decode.
    func load(server: String) throws -> BootSnapshot
    func outboxCount(server: String) throws -> Int
}

extension LocalStore: PhoneStore {}

/// Where a phone keeps its store.
public enum PhoneStorage: Sendable, Equatable {
    /// SQLite in the phone's folder; `durable: false` skips fsync (scenarios, tests).
    case disk(durable: Bool)
    /// In the process, gone when it exits: survives the phone's power cycles, not the simulator's.
    case memory
}
