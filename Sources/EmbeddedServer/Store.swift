import Foundation
import GRDB
import MattermostModel

/// The server's SQLite database: one writer queue, file-backed or in memory, and the cache of the rows every
/// request authenticates with (StoreCache: it watches this queue's writes, so no caller has to remember it).
final class Store: Sendable {
    static let fileName = "mmsim.sqlite"
    let db: DatabaseQueue
    let cache = StoreCache()

    init(directory: URL?) throws {
        var configuration = Configuration()
        configuration.label = "mmsim.server"
        if let directory {
            db = try DatabaseQueue(path: directory.appendingPathComponent(Store.fileName).path,
                                   configuration: configuration)
        } else {
            db = try DatabaseQueue(configuration: configuration)
        }
        try StoreMigrations.migrator.migrate(db)
        try db.write { [cache] db in db.add(transactionObserver: cache, extent: .databaseLifetime) }
    }

    /// Reads without the BEGIN/COMMIT that `db.read` wraps around them (two statements compiled per read: a
    /// third of the fleet server's database CPU). Still isolated: a DatabaseQueue runs every access, writes
    /// included, one after another on its one connection, so nothing can write between this closure's statements.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await db.unsafeRead(body)
    }
}

/// A user row, with the password hash the API never shows.
struct StoredUser: Sendable {
    var id: String
    var createAt: Int64
    var updateAt: Int64
    var deleteAt: Int64
    var username: String
    var email: String
    var passwordHash: String
    var roles: String
    var firstName: String
    var lastName: String
    var nickname: String
    var lastPasswordUpdate: Int64
    /// Read with the row so that login needs no second query for the lockout check.
    var failedAttempts: Int

    init(row: Row) {
        id = row["id"]
        createAt = row["create_at"]
        updateAt = row["update_at"]
        deleteAt = row["delete_at"]
        username = row["username"]
        email = row["email"]
        passwordHash = row["password_hash"]
        roles = row["roles"]
        firstName = row["first_name"]
        lastName = row["last_name"]
        nickname = row["nickname"]
        lastPasswordUpdate = row["last_password_update"]
        failedAttempts = row["failed_attempts"] ?? 0
    }

    var isSystemAdmin: Bool { roles.split(separator: " ").contains("system_admin") }
    var isActive: Bool { deleteAt == 0 }

    var model: User {
        var user = User(id: id, createAt: createAt, username: username, email: email, roles: roles,
                        firstName: firstName, lastName: lastName, nickname: nickname)
        user.updateAt = updateAt
        user.deleteAt = deleteAt
        user.lastPasswordUpdate = lastPasswordUpdate
        return user
    }
}

/// A session row. `tokenHash` is SHA-256 of the token; the token only exists in the login answer.
struct StoredSession: Sendable {
    var id: String
    var tokenHash: String
    var createAt: Int64
    var expiresAt: Int64
    var lastActivityAt: Int64
    var lastExtendedAt: Int64
    var userID: String
    var deviceID: String
    var roles: String
    var props: [String: String]

    init(id: String, tokenHash: String, createAt: Int64, expiresAt: Int64, userID: String, deviceID: String,
         roles: String, props: [String: String]) {
        self.id = id
        self.tokenHash = tokenHash
        self.createAt = createAt
        self.expiresAt = expiresAt
        self.lastActivityAt = createAt
        self.lastExtendedAt = createAt
        self.userID = userID
        self.deviceID = deviceID
        self.roles = roles
        self.props = props
    }

    init(row: Row) {
        id = row["id"]
        tokenHash = row["token_hash"]
        createAt = row["create_at"]
        expiresAt = row["expires_at"]
        lastActivityAt = row["last_activity_at"]
        lastExtendedAt = row["last_extended_at"]
        userID = row["user_id"]
        deviceID = row["device_id"]
        roles = row["roles"]
        let text: String = row["props"]
        props = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    var propsJSON: String {
        (try? JSONEncoder().encode(props)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    func isExpired(atMillis now: Int64) -> Bool { expiresAt > 0 && now > expiresAt }

    /// The API shape; `token` is blank unless the caller is the login that just created it.
    func model(token: String = "") -> Session {
        var session = Session(id: id, token: token, createAt: createAt, expiresAt: expiresAt,
                              lastActivityAt: lastActivityAt, userID: userID, deviceID: deviceID, roles: roles,
                              props: props)
        session.token = token
        return session
    }
}
