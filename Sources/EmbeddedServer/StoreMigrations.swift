import GRDB

/// Schema history. Append new migrations; never edit one that has shipped.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-users-sessions-teams-posts") { db in
            try db.create(table: "users") { t in
                t.primaryKey("id", .text)
                t.column("create_at", .integer).notNull()
                t.column("update_at", .integer).notNull()
                t.column("delete_at", .integer).notNull().defaults(to: 0)
                t.column("username", .text).notNull().unique()
                t.column("email", .text).notNull().unique()
                t.column("password_hash", .text).notNull()
                t.column("roles", .text).notNull()
                t.column("first_name", .text).notNull().defaults(to: "")
                t.column("last_name", .text).notNull().defaults(to: "")
                t.column("nickname", .text).notNull().defaults(to: "")
                t.column("last_password_update", .integer).notNull()
            }
            try db.create(table: "sessions") { t in
                t.primaryKey("id", .text)
                // SHA-256 of the token, hex. The token itself is never stored.
                t.column("token_hash", .text).notNull().unique()
                t.column("create_at", .integer).notNull()
                t.column("expires_at", .integer).notNull()
                t.column("last_activity_at", .integer).notNull()
                // When expires_at was last pushed forward: the extension threshold counts from here.
                t.column("last_extended_at", .integer).notNull()
                t.column("user_id", .text).notNull().indexed()
                t.column("device_id", .text).notNull().defaults(to: "")
                t.column("roles", .text).notNull()
                t.column("props", .text).notNull().defaults(to: "{}")
            }
            try db.create(table: "teams") { t in
                t.primaryKey("id", .text)
                t.column("create_at", .integer).notNull()
                t.column("name", .text).notNull().unique()
                t.column("display_name", .text).notNull()
            }
            try db.create(table: "team_members") { t in
                t.column("team_id", .text).notNull()
                t.column("user_id", .text).notNull()
                t.primaryKey(["team_id", "user_id"])
            }
            try db.create(table: "channels") { t in
                t.primaryKey("id", .text)
                t.column("team_id", .text).notNull()
                t.column("create_at", .integer).notNull()
                t.column("update_at", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("display_name", .text).notNull()
                t.column("type", .text).notNull().defaults(to: "O")
                t.column("last_post_at", .integer).notNull().defaults(to: 0)
                t.column("total_msg_count", .integer).notNull().defaults(to: 0)
                t.uniqueKey(["team_id", "name"])
            }
            try db.create(table: "channel_members") { t in
                t.column("channel_id", .text).notNull()
                t.column("user_id", .text).notNull()
                t.primaryKey(["channel_id", "user_id"])
            }
            try db.create(table: "posts") { t in
                t.primaryKey("id", .text)
                t.column("channel_id", .text).notNull()
                t.column("user_id", .text).notNull()
                t.column("create_at", .integer).notNull()
                t.column("update_at", .integer).notNull()
                t.column("root_id", .text).notNull().defaults(to: "")
                t.column("message", .text).notNull()
                t.column("pending_post_id", .text).notNull().defaults(to: "")
            }
            try db.create(index: "posts_channel_update", on: "posts", columns: ["channel_id", "update_at"])
            try db.create(index: "posts_user_pending", on: "posts", columns: ["user_id", "pending_post_id"])
        }
        migrator.registerMigration("v2-failed-login-attempts") { db in
            // Mattermost's Users.FailedAttempts: wrong passwords since the last good login.
            try db.alter(table: "users") { t in t.add(column: "failed_attempts", .integer).notNull().defaults(to: 0) }
        }
        migrator.registerMigration("v3-sessions-and-posts-belong-to-users") { db in
            // SQLite cannot add a foreign key to a table: rebuild both, keeping the rows whose user exists.
            try db.create(table: "new_sessions") { t in
                t.primaryKey("id", .text)
                t.column("token_hash", .text).notNull().unique()
                t.column("create_at", .integer).notNull()
                t.column("expires_at", .integer).notNull()
                t.column("last_activity_at", .integer).notNull()
                t.column("last_extended_at", .integer).notNull()
                t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("device_id", .text).notNull().defaults(to: "")
                t.column("roles", .text).notNull()
                t.column("props", .text).notNull().defaults(to: "{}")
            }
            try db.execute(sql: """
                INSERT INTO new_sessions (id, token_hash, create_at, expires_at, last_activity_at, last_extended_at,
                                          user_id, device_id, roles, props)
                SELECT id, token_hash, create_at, expires_at, last_activity_at, last_extended_at, user_id, device_id,
                       roles, props
                FROM sessions WHERE user_id IN (SELECT id FROM users)
                """)
            try db.drop(table: "sessions")
            try db.rename(table: "new_sessions", to: "sessions")
            try db.create(index: "sessions_on_user_id", on: "sessions", columns: ["user_id"])

            try db.create(table: "new_posts") { t in
                t.primaryKey("id", .text)
                t.column("channel_id", .text).notNull()
                t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                t.column("create_at", .integer).notNull()
                t.column("update_at", .integer).notNull()
                t.column("root_id", .text).notNull().defaults(to: "")
                t.column("message", .text).notNull()
                t.column("pending_post_id", .text).notNull().defaults(to: "")
            }
            try db.execute(sql: """
                INSERT INTO new_posts (id, channel_id, user_id, create_at, update_at, root_id, message, pending_post_id)
                SELECT id, channel_id, user_id, create_at, update_at, root_id, message, pending_post_id
                FROM posts WHERE user_id IN (SELECT id FROM users)
                """)
            try db.drop(table: "posts")
            try db.rename(table: "new_posts", to: "posts")
            try db.create(index: "posts_channel_update", on: "posts", columns: ["channel_id", "update_at"])
            try db.create(index: "posts_user_pending", on: "posts", columns: ["user_id", "pending_post_id"])
        }
        return migrator
    }
}
