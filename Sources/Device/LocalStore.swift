import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import MattermostModel

/// The phone's database (GRDB): what a cold start shows before any request, and the outbox.
/// Rows are keyed by server URL so that wiping one server leaves nothing of it behind.
public final class LocalStore: Sendable {
    let queue: DatabaseQueue

    /// - Parameter durable: false trades crash safety for speed (fleet runs with thousands of phones).
    public init(path: String, durable: Bool = true) throws {
        try Self.claimPrivately(path)
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF")
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        try Self.migrator.migrate(queue)
    }

    public struct Unusable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The file is ours and private before SQLite opens it: 0600 like the token cache (SQLite gives its journal
    /// the database's mode; it made both 0644), and never a symbolic link planted in its place, which SQLite
    /// would follow and write through.
    static func claimPrivately(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "is a symbolic link" : String(cString: strerror(errno))
            throw Unusable(description: "the local store \((path as NSString).lastPathComponent) \(reason)")
        }
        fchmod(fd, 0o600)
        close(fd)
    }

    /// In memory, for tests.
    public init() throws {
        queue = try DatabaseQueue()
        try Self.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE kv (server TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (server, key));
                CREATE TABLE channel (server TEXT NOT NULL, id TEXT NOT NULL, json BLOB NOT NULL, PRIMARY KEY (server, id));
                CREATE TABLE post (server TEXT NOT NULL, id TEXT NOT NULL, channel_id TEXT NOT NULL,
                                   create_at INTEGER NOT NULL, json BLOB NOT NULL, PRIMARY KEY (server, id));
                CREATE TABLE outbox (server TEXT NOT NULL, pending_post_id TEXT NOT NULL, position INTEGER NOT NULL,
                                     json BLOB NOT NULL, PRIMARY KEY (server, pending_post_id));
                """)
        }
        return migrator
    }

    static let postsKeptPerChannel = 200

    public func apply(_ change: StoreChange, server: String) throws {
        let encoder = JSONEncoder()
        try queue.write { db in
            switch change {
            case .account(let user): try Self.put(db, server, "account", encoder.encode(user))
            case .team(let team): try Self.put(db, server, "team", encoder.encode(team))
            case .lastUsername(let name): try Self.put(db, server, "lastUsername", Data(name.utf8))
            case .channels(let channels):
                try db.execute(sql: "DELETE FROM channel WHERE server = ?", arguments: [server])
                for channel in channels {
                    try db.execute(sql: "INSERT INTO channel (server, id, json) VALUES (?, ?, ?)",
                                   arguments: [server, channel.id, encoder.encode(channel)])
                }
            case .posts(let posts):
                for post in posts {
                    try db.execute(sql: "INSERT OR REPLACE INTO post (server, id, channel_id, create_at, json) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [server, post.id, post.channelID, post.createAt, encoder.encode(post)])
                }
            case .outboxPut(let item):
                let position = try Int.fetchOne(db, sql: "SELECT position FROM outbox WHERE server = ? AND pending_post_id = ?",
                                                arguments: [server, item.pendingPostID])
                    ?? (Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) + 1 FROM outbox WHERE server = ?",
                                     arguments: [server]) ?? 1)
                try db.execute(sql: "INSERT OR REPLACE INTO outbox (server, pending_post_id, position, json) VALUES (?, ?, ?, ?)",
                               arguments: [server, item.pendingPostID, position, encoder.encode(item)])
            case .outboxRemove(let id):
                try db.execute(sql: "DELETE FROM outbox WHERE server = ? AND pending_post_id = ?", arguments: [server, id])
            case .wipeServer(let keepOutbox):
                let lastUsername = try Data.fetchOne(db, sql: "SELECT value FROM kv WHERE server = ? AND key = 'lastUsername'",
                                                     arguments: [server])
                for table in ["kv", "channel", "post"] + (keepOutbox ? [] : ["outbox"]) {
                    try db.execute(sql: "DELETE FROM \(table) WHERE server = ?", arguments: [server])
                }
                // The login screen keeps the username, as the real app does.
                if let lastUsername { try Self.put(db, server, "lastUsername", lastUsername) }
            }
        }
    }

    static func put(_ db: Database, _ server: String, _ key: String, _ value: Data) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO kv (server, key, value) VALUES (?, ?, ?)", arguments: [server, key, value])
    }

    /// Reads what a cold start shows. Rows that no longer decode are skipped, never fatal.
    public func load(server: String) throws -> BootSnapshot {
        let decoder = JSONDecoder()
        return try queue.read { db in
            func value(_ key: String) throws -> Data? {
                try Data.fetchOne(db, sql: "SELECT value FROM kv WHERE server = ? AND key = ?", arguments: [server, key])
            }
            var snapshot = BootSnapshot()
            snapshot.account = try value("account").flatMap { try? decoder.decode(User.self, from: $0) }
            snapshot.team = try value("team").flatMap { try? decoder.decode(Team.self, from: $0) }
            snapshot.lastUsername = try value("lastUsername").map { String(decoding: $0, as: UTF8.self) } ?? ""
            snapshot.channels = try Data.fetchAll(db, sql: "SELECT json FROM channel WHERE server = ?", arguments: [server])
                .compactMap { try? decoder.decode(Channel.self, from: $0) }
                .sorted { $0.displayName.lowercased() < $1.displayName.lowercased() }
            let posts = try Data.fetchAll(db, sql: "SELECT json FROM post WHERE server = ? ORDER BY create_at", arguments: [server])
                .compactMap { try? decoder.decode(Post.self, from: $0) }
            snapshot.posts = Dictionary(grouping: posts, by: \.channelID).mapValues { Array($0.suffix(Self.postsKeptPerChannel)) }
            snapshot.outbox = try Data.fetchAll(db, sql: "SELECT json FROM outbox WHERE server = ? ORDER BY position", arguments: [server])
                .compactMap { try? decoder.decode(OutboxItem.self, from: $0) }
            return snapshot
        }
    }

    public func outboxCount(server: String) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE server = ?", arguments: [server]) ?? 0
        }
    }
}
