import GRDB

extension Schema {
  /// v5-keys: the pack signers' public keys the store trusts (`exam keys trust|list|revoke`). A revoked key stays
  /// listed (with who revoked it and when) so the audit trail keeps its meaning. Also the audit trail's `account`:
  /// the OS account that ran each command (issue #17: trust and identity).
  static func registerKeys(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v5-keys") { db in
      try db.create(table: "trustedSigner") { t in
        t.primaryKey("fingerprint", .text)
        t.column("publicKey", .text).notNull().unique()  // raw Ed25519 key, base64
        t.column("label", .text).notNull().defaults(to: "")
        t.column("trustedAt", .text).notNull()
        t.column("trustedBy", .text).notNull()
        t.column("revokedAt", .text)
        t.column("revokedBy", .text)
      }
      // The OS account behind each audit line (the `operator` name is what the person typed).
      try db.alter(table: "audit") { t in t.add(column: "account", .text) }
    }
  }
}
