import GRDB

extension Schema {
  /// v3-server: `exam serve` — access tokens (only their SHA-256 is kept) and the resumable uploads (tus) in flight
  /// or finished, with the ingest report each one produced.
  static func registerServer(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v3-server") { db in
      try db.create(table: "accessToken") { t in
        t.primaryKey("id", .text)  // short public id, for `tokens list|revoke`
        t.column("role", .text).notNull()  // centre | office
        t.column("centreId", .text).references("centre")  // the centre a centre token is scoped to; NULL for office
        // hex SHA-256 of the secret; the secret itself is never stored
        t.column("tokenSha256", .text).notNull().unique()
        t.column("label", .text).notNull().defaults(to: "")
        t.column("issuedAt", .text).notNull()
        t.column("issuedBy", .text).notNull()
        t.column("revokedAt", .text)
        t.column("revokedBy", .text)
      }
      try db.create(table: "upload") { t in
        t.primaryKey("id", .text)  // random, the last part of the tus upload URL
        t.column("tokenId", .text).notNull().references("accessToken")
        t.column("centreId", .text).notNull().references("centre")
        t.column("sessionId", .text)
        t.column("fileName", .text).notNull().defaults(to: "")  // from Upload-Metadata, for the report
        t.column("lengthBytes", .integer).notNull()  // Upload-Length
        t.column("offsetBytes", .integer).notNull()  // bytes received, fsynced and acknowledged
        t.column("state", .text).notNull()  // receiving | ingesting | done | failed | terminated
        t.column("createdAt", .text).notNull()
        t.column("expiresAt", .text).notNull()  // an unfinished upload is dropped after this
        t.column("receivedAt", .text)  // when the last byte arrived
        t.column("batchId", .text)  // ingestBatch of the finished upload
        t.column("reportJSON", .text)  // the IngestReport of this upload's ingest run
        t.column("errorJSON", .text)  // {code, message} when ingest could not read the batch
        t.column("finishedAt", .text)
      }
      try db.create(index: "upload_on_centre", on: "upload", columns: ["centreId", "state"])
    }
  }
}
