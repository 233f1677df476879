import Foundation
import GRDB

/// Telling a damaged database apart from a server fault, in words that carry no stored value: GRDB's own
/// decoding errors print the whole row, password hash included.
enum StoreIntegrity {
    /// SQLite's own structural check, then every row of every table through its record type.
    static func check(_ db: Database) throws {
        let verdict = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard verdict == ["ok"] else { throw Damage(reason: "SQLite's integrity check failed") }
        try checkStorageClasses(db)
        try readAll(StoredUser.self, db)
        try readAll(StoredSession.self, db)
        try readAll(TeamRecord.self, db)
        try readAll(ChannelRecord.self, db)
        try readAll(PostRecord.self, db)
    }

    /// Record decoding reads integers through `sqlite3_column_int64`, which makes 0 of 'abc' without a word:
    /// so every value must have the storage class its column declares (INTEGER or TEXT; NULL where allowed).
    private static func checkStorageClasses(_ db: Database) throws {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
            ORDER BY name
            """)
        for table in tables {
            for column in try db.columns(in: table) {
                let expected: String
                switch column.type.uppercased() {
                case "INTEGER": expected = "integer"
                case "TEXT": expected = "text"
                default: continue
                }
                let name = column.name.quotedDatabaseIdentifier
                let wrong = try Bool.fetchOne(db, sql: """
                    SELECT 1 FROM \(table.quotedDatabaseIdentifier)
                    WHERE typeof(\(name)) NOT IN ('\(expected)', 'null') LIMIT 1
                    """) ?? false
                if wrong { throw Damage(reason: "\(table).\(column.name) holds a value that is not \(expected == "integer" ? "an integer" : "text")") }
            }
        }
    }

    private static func readAll<Record: FetchableRecord & TableRecord>(_ type: Record.Type, _ db: Database) throws {
        do {
            let rows = try Record.fetchCursor(db)
            while try rows.next() != nil {}
        } catch is RowDecodingError {
            throw Damage(reason: "a row of table \(Record.databaseTableName) holds a value of the wrong type")
        } catch is DecodingError {
            throw Damage(reason: "a row of table \(Record.databaseTableName) holds a value of the wrong type")
        }
    }

    /// A secret-free reason, found while checking.
    struct Damage: Error {
        var reason: String
    }

    /// The error a caller sees: `databaseDamaged` for anything that says the file or a row is bad, the error
    /// itself otherwise (a full disk, a busy lock: nothing a reset would cure).
    static func translate(_ error: any Error, directory: URL?) -> any Error {
        let reason: String
        switch error {
        case let damage as Damage: reason = damage.reason
        case is RowDecodingError, is DecodingError: reason = "a stored value has the wrong type"
        case let error as DatabaseError:
            switch error.resultCode {
            case .SQLITE_CORRUPT: reason = "SQLite reports it corrupt"
            case .SQLITE_NOTADB: reason = "the file is not an SQLite database"
            case .SQLITE_FORMAT, .SQLITE_SCHEMA: reason = "SQLite cannot use its schema"
            default: return error
            }
        default: return error
        }
        return EmbeddedServerError.databaseDamaged(folder: directory, reason: reason)
    }
}
