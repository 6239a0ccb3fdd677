import GRDB

extension Schema {
  /// v2-ingest: one row per batch a centre sent (its runs and final report), and the files it refused.
  static func registerIngest(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v2-ingest") { db in
      try db.create(table: "ingestBatch") { t in
        t.primaryKey("id", .text)  // SHA-256 prefix of centre + manifest.csv + answers.csv
        t.column("examId", .text).notNull().references("exam")
        t.column("centreId", .text).notNull().references("centre")
        t.column("sessionId", .text)
        t.column("source", .text).notNull()  // the path given to `exam audio ingest`
        t.column("runs", .integer).notNull()  // how many times ingest started on it
        t.column("startedAt", .text).notNull()  // of the latest run
        t.column("finishedAt", .text)  // NULL while a run is in progress or was interrupted
        t.column("firstFinishedAt", .text)
        t.column("reportJSON", .text)  // IngestReport of the latest finished run
      }
      try db.create(table: "quarantine") { t in
        t.column("batchId", .text).notNull().references("ingestBatch", onDelete: .cascade)
        t.column("file", .text).notNull()  // path in the batch (or answers.csv:line)
        t.column("line", .integer)
        t.column("candidateId", .text)
        t.column("itemId", .text)
        t.column("reason", .text).notNull()  // Ingest.RefusalReason raw value
        t.column("message", .text).notNull()
        t.column("quarantinedAs", .text)  // path of the kept copy, if any
        t.column("at", .text).notNull()
        t.primaryKey(["batchId", "file", "reason"])
      }
    }
  }
}
