import GRDB

extension Schema {
  /// v2-proctoring: seat-machine events, incidents raised from them and from the recordings, decisions on
  /// incidents, and a cache of per-recording audio analysis (fingerprint, speaker profile, level statistics).
  static func registerProctoring(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v2-proctoring") { db in
      // One row per event line; (exam, machine, seq) is the event's identity (a machine stays in its room, so
      // the key also carries centre and room and serves as the by-room index), so a log ingested twice adds
      // nothing. `at` is the local wall-clock time of the sitting in seconds since 1970 (offset removed).
      try db.create(table: "seatEvent") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("examId", .text).notNull()
        t.column("machineId", .text).notNull()
        t.column("seq", .integer).notNull()
        t.column("at", .double).notNull()
        t.column("centreId", .text).notNull()
        t.column("roomId", .text).notNull()
        t.column("seatId", .text).notNull()
        t.column("candidateId", .text)
        t.column("type", .text).notNull()
        t.column("itemId", .text)
        t.column("level", .double)  // mic-check level, dBFS
        t.column("passed", .boolean)  // id-check result
        // The identity, and (by its prefix) the index the rules read a room through.
        t.uniqueKey(["examId", "centreId", "roomId", "machineId", "seq"])
      }
      try db.create(table: "incident") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("examId", .text).notNull()
        t.column("key", .text).notNull()  // rule + subject: the same finding twice is one incident
        t.column("rule", .text).notNull()
        t.column("category", .text).notNull()
        t.column("subcategory", .text).notNull()
        t.column("severity", .text).notNull()  // low | medium | high
        t.column("sessionId", .text)
        t.column("centreId", .text)
        t.column("roomId", .text)
        t.column("seatId", .text)
        t.column("candidateId", .text)
        t.column("at", .double)  // local wall-clock seconds since 1970 of the finding, when known
        t.column("comment", .text).notNull()
        t.column("evidence", .text).notNull()  // ';'-separated: event:<id>, recording:<id>
        t.column("suggestion", .text)
        t.column("status", .text).notNull().defaults(to: "open")
        t.column("raisedAt", .text).notNull()
        t.column("raisedBy", .text).notNull()
        t.uniqueKey(["examId", "key"])
      }
      try db.create(table: "incidentDecision") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("incidentId", .integer).notNull().references("incident", onDelete: .cascade)
        t.column("action", .text).notNull()
        t.column("reason", .text).notNull()
        t.column("operator", .text).notNull()
        t.column("at", .text).notNull()
      }
      try db.create(table: "audioAnalysis") { t in
        t.primaryKey("storedSha256", .text)
        t.column("version", .integer).notNull()
        t.column("json", .text).notNull()
      }
    }
  }
}
