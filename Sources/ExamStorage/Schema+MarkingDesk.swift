import GRDB

extension Schema {
  /// v4-marking-desk: rater logins for the marking desk of `exam serve` (bcrypt hashes only) and their browser
  /// sessions (only the SHA-256 of the session cookie is kept).
  static func registerMarkingDesk(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v4-marking-desk") { db in
      try db.create(table: "raterAccount") { t in
        t.primaryKey("raterId", .text).references("rater", onDelete: .cascade)
        t.column("role", .text).notNull()  // rater | arbiter | office
        t.column("passwordHash", .text)  // bcrypt ($2b$…); NULL until a password is set
        t.column("disabled", .boolean).notNull().defaults(to: false)
        t.column("failedLogins", .integer).notNull().defaults(to: 0)  // wrong passwords in a row
        t.column("lockedUntil", .text)  // ISO 8601 UTC; logins refused until then
        t.column("createdAt", .text).notNull()
        t.column("passwordSetAt", .text)
      }
      try db.create(table: "deskSession") { t in
        t.primaryKey("tokenSha256", .text)  // hex SHA-256 of the cookie value; the value itself is never stored
        t.column("raterId", .text).notNull().references("raterAccount", onDelete: .cascade).indexed()
        t.column("csrfToken", .text).notNull()
        t.column("createdAt", .text).notNull()
        t.column("expiresAt", .text).notNull()
      }
      try db.create(index: "markAssignment_on_rater", on: "markAssignment", columns: ["raterId", "recordingId"])
    }
  }
}
