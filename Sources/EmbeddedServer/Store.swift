import Foundation
import GRDB
import MattermostModel

/// The server's SQLite database: one writer queue, file-backed or in memory, and the cache of the rows every
/// request authenticates with (StoreCache: it watches this queue's writes, so no caller has to remember it).
final class Store: Sendable {
    static let fileName = "mmsim.sqlite"
    let db: DatabaseQueue
    let cache = StoreCache()
    /// One password check at a time per user id: see `withPasswordCheck`.
    let passwordChecks = KeyedSerializer()
    /// Named in the "damaged" error; nil in memory.
    let directory: URL?

    /// Opens the database and checks that every row can be read: a damaged file is refused here, with
    /// `EmbeddedServerError.databaseDamaged`, rather than failing one request at a time later.
    init(directory: URL?) throws {
        self.directory = directory
        var configuration = Configuration()
        configuration.label = "mmsim.server"
        do {
            if let directory {
                db = try DatabaseQueue(path: directory.appendingPathComponent(Store.fileName).path,
                                       configuration: configuration)
            } else {
                db = try DatabaseQueue(configuration: configuration)
            }
            try StoreMigrations.migrator.migrate(db)
            if directory != nil { try db.read(StoreIntegrity.check) }
        } catch {
            throw StoreIntegrity.translate(error, directory: directory)
        }
        try db.write { [cache] db in db.add(transactionObserver: cache, extent: .databaseLifetime) }
    }

    /// Reads without the BEGIN/COMMIT that `db.read` wraps around them (two statements compiled per read: a
    /// third of the fleet server's database CPU). Still isolated: a DatabaseQueue runs every access, writes
    /// included, one after another on its one connection, so nothing can write between this closure's statements.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await db.unsafeRead(body)
        } catch {
            throw StoreIntegrity.translate(error, directory: directory)
        }
    }

    /// A transaction on the writer queue; a row that cannot be read surfaces as `databaseDamaged`.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await db.write(body)
        } catch {
            throw StoreIntegrity.translate(error, directory: directory)
        }
    }
}

/// A user row, with the password hash the API never shows.
struct StoredUser: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "users"

    var id: String
    var createAt: Int64
    var updateAt: Int64
    var deleteAt: Int64 = 0
    var username: String
    var email: String
    var passwordHash: String
    var roles: String
    var firstName = ""
    var lastName = ""
    var nickname = ""
    var lastPasswordUpdate: Int64
    /// Read with the row so that login needs no second query for the lockout check.
    var failedAttempts = 0

    enum CodingKeys: String, CodingKey {
        case id, username, email, roles, nickname
        case createAt = "create_at", updateAt = "update_at", deleteAt = "delete_at"
        case passwordHash = "password_hash", firstName = "first_name", lastName = "last_name"
        case lastPasswordUpdate = "last_password_update", failedAttempts = "failed_attempts"
    }

    /// A new account, as first stored.
    init(username: String, email: String, passwordHash: String, roles: String, now: Int64) {
        id = MattermostID.new()
        createAt = now
        updateAt = now
        lastPasswordUpdate = now
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.roles = roles
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
struct StoredSession: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "sessions"

    var id: String
    var tokenHash: String
    var createAt: Int64
    var expiresAt: Int64
    var lastActivityAt: Int64
    var lastExtendedAt: Int64
    var userID: String
    var deviceID: String
    var roles: String
    /// Stored as JSON text (GRDB's encoding of a nested container).
    var props: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, roles, props
        case tokenHash = "token_hash", createAt = "create_at", expiresAt = "expires_at"
        case lastActivityAt = "last_activity_at", lastExtendedAt = "last_extended_at"
        case userID = "user_id", deviceID = "device_id"
    }

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
