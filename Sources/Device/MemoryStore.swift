import MattermostModel
import Synchronization

/// `LocalStore`'s behaviour without SQLite: same keys (server URL), same wipe rules, same load order.
/// Values are kept as they are rather than as JSON, so a phone's idle footprint is its data, not a database.
public final class MemoryStore: PhoneStore {
    struct Server: Sendable {
        var account: User?
        var team: Team?
        var lastUsername: String?
        var channels: [String: Channel] = [:]
        var posts: [String: Post] = [:]
        /// pending post id → (position, item); positions grow, as LocalStore's `MAX(position) + 1`.
        var outbox: [String: (position: Int, item: OutboxItem)] = [:]
    }

    private let servers = Mutex<[String: Server]>([:])

    public init() {}

    public func apply(_ change: StoreChange, server: String) {
        servers.withLock { servers in
            var s = servers[server] ?? Server()
            switch change {
            case .account(let user): s.account = user
            case .team(let team): s.team = team
            case .lastUsername(let name): s.lastUsername = name
            case .channels(let channels):
                s.channels = Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
            case .posts(let posts):
                for post in posts { s.posts[post.id] = post }
            case .outboxPut(let item):
                let position = s.outbox[item.pendingPostID]?.position
                    ?? ((s.outbox.values.map(\.position).max() ?? 0) + 1)
                s.outbox[item.pendingPostID] = (position, item)
            case .outboxRemove(let id):
                s.outbox[id] = nil
            case .wipeServer(let keepOutbox):
                // The login screen keeps the username, as the real app does.
                s = Server(lastUsername: s.lastUsername, outbox: keepOutbox ? s.outbox : [:])
            }
            servers[server] = s
        }
    }

    public func load(server: String) -> BootSnapshot {
        guard let s = servers.withLock({ $0[server] }) else { return BootSnapshot() }
        var snapshot = BootSnapshot(account: s.account, team: s.team, lastUsername: s.lastUsername ?? "")
        snapshot.channels = s.channels.values.sorted { $0.displayName.lowercased() < $1.displayName.lowercased() }
        let posts = s.posts.values.sorted { ($0.createAt, $0.id) < ($1.createAt, $1.id) }
        snapshot.posts = Dictionary(grouping: posts, by: \.channelID).mapValues { Array($0.suffix(LocalStore.postsKeptPerChannel)) }
        snapshot.outbox = s.outbox.values.sorted { $0.position < $1.position }.map(\.item)
        return snapshot
    }

    public func outboxCount(server: String) -> Int { servers.withLock { $0[server]?.outbox.count ?? 0 } }
}
