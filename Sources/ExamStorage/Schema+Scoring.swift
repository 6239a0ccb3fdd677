import GRDB

extension Schema {
  /// v2-scoring: machine scores per recording, the models that produced them, raters, double-marking
  /// assignments, every mark (machine, human, arbiter) and the final mark of each spoken answer.
  static func registerScoring(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v2-scoring") { db in
      try db.create(table: "scoringModel") { t in
        t.primaryKey("version", .text)  // first 16 hex digits of the SHA-256 of the model JSON
        t.column("json", .text).notNull()
        t.column("storedAt", .text).notNull()
      }
      try db.create(table: "machineScore") { t in
        t.primaryKey("recordingId", .integer).references("recording", onDelete: .cascade)
        t.column("examId", .text).notNull().indexed()
        t.column("candidateId", .text).notNull()
        t.column("itemId", .text).notNull()
        t.column("featuresJSON", .text).notNull()  // {"duration_s": 3.1, …}
        t.column("aspectsJSON", .text).notNull()  // {"fluency": 7.4, …} on the model's 0–10 scale
        t.column("points", .double)  // rubric points; NULL when the audio could not be analysed
        t.column("confidence", .double).notNull()  // 0–1
        t.column("needsHuman", .boolean).notNull()
        t.column("reason", .text).notNull()
        t.column("modelVersion", .text).notNull()
        t.column("scoredAt", .text).notNull()
      }
      try db.create(table: "rater") { t in
        t.primaryKey("id", .text)
        t.column("name", .text).notNull()
        t.column("school", .text).notNull()
      }
      try db.create(table: "markAssignment") { t in
        t.column("recordingId", .integer).notNull().references("recording", onDelete: .cascade)
        t.column("raterId", .text).notNull().references("rater")
        t.column("slot", .integer).notNull()  // 1 or 2 (3 = arbiter)
        t.column("assignedAt", .text).notNull()
        t.primaryKey(["recordingId", "slot"])
        t.uniqueKey(["recordingId", "raterId"])
      }
      try db.create(table: "mark") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("recordingId", .integer).notNull().references("recording", onDelete: .cascade).indexed()
        t.column("raterId", .text).notNull()  // "machine" for the machine's mark
        t.column("kind", .text).notNull()  // machine | human | arbiter
        t.column("points", .double).notNull()
        t.column("markedAt", .text).notNull()
        t.column("source", .text).notNull()  // file:line, model version, or command
        t.uniqueKey(["recordingId", "kind", "raterId"])
      }
      try db.create(table: "finalMark") { t in
        t.primaryKey("recordingId", .integer).references("recording", onDelete: .cascade)
        t.column("examId", .text).notNull().indexed()
        t.column("candidateId", .text).notNull()
        t.column("itemId", .text).notNull()
        t.column("points", .double).notNull()
        t.column("method", .text).notNull()
        t.column("markIds", .text).notNull()  // ';'-separated mark ids the final mark follows from
        t.column("decidedAt", .text).notNull()
      }
    }
  }
}
