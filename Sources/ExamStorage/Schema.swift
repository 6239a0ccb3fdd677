import GRDB

/// The store's versioned migrations. A migration is never edited once it has landed: add a new one.
///
/// Capabilities register their own migrations in `Schema+<Capability>.swift`; the order below is the
/// order they run in on a new store.
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    registerCore(&migrator)
    registerRooms(&migrator)
    registerIngest(&migrator)
    registerScoring(&migrator)
    registerProctoring(&migrator)
    registerRecords(&migrator)
    registerServer(&migrator)
    registerMarkingDesk(&migrator)
    registerKeys(&migrator)
    return migrator
  }

  /// v1: the backbone every capability shares — audit, exams and items, candidates, centres, rooms,
  /// seats, sessions, allocations, recordings, listening answers and final results.
  static func registerCore(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v1-core") { db in
      try db.create(table: "audit") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("at", .text).notNull()
        t.column("operator", .text).notNull()
        t.column("command", .text).notNull()
        t.column("arguments", .text).notNull()
        t.column("summary", .text).notNull()
      }
      try db.create(table: "exam") { t in
        t.primaryKey("id", .text)
        t.column("title", .text).notNull()
        t.column("packSha256", .text).notNull()
        t.column("formCount", .integer).notNull().defaults(to: 1)
        t.column("totalPoints", .double).notNull()
        t.column("definitionJSON", .text).notNull()  // the validated pack definition, as JSON
        t.column("importedAt", .text).notNull()
      }
      try db.create(table: "section") { t in
        t.column("examId", .text).notNull().references("exam", onDelete: .cascade)
        t.column("id", .text).notNull()
        t.column("position", .integer).notNull()
        t.column("title", .text).notNull()
        t.column("part", .text).notNull()  // listening | speaking
        t.column("points", .double).notNull()
        t.primaryKey(["examId", "id"])
      }
      try db.create(table: "item") { t in
        t.column("examId", .text).notNull().references("exam", onDelete: .cascade)
        t.column("id", .text).notNull()
        t.column("sectionId", .text).notNull()
        t.column("position", .integer).notNull()
        t.column("type", .text).notNull()  // ExamCore.ItemType raw value
        t.column("points", .double).notNull()
        t.column("promptText", .text)
        t.column("referenceText", .text)
        t.column("referenceAudioSha256", .text)  // file in the content store
        t.column("answerKey", .text)  // listening items: the correct choice
        t.column("promptSeconds", .double)  // how long the prompt audio plays
        t.column("minAnswerSeconds", .double)
        t.column("maxAnswerSeconds", .double)
        t.column("rubricJSON", .text)
        t.primaryKey(["examId", "id"])
        t.foreignKey(["examId", "sectionId"], references: "section")
      }
      try db.create(table: "candidate") { t in
        t.primaryKey("id", .text)  // candidate (admission) number
        t.column("name", .text).notNull()
        t.column("nationalId", .text).notNull().unique()
        t.column("school", .text).notNull().indexed()
        t.column("district", .text).notNull()
        t.column("accommodations", .text).notNull().defaults(to: "")  // ';'-separated
      }
      try db.create(table: "districtAdjacency") { t in
        t.column("district", .text).notNull()
        t.column("neighbour", .text).notNull()
        t.primaryKey(["district", "neighbour"])
      }
      try db.create(table: "centre") { t in
        t.primaryKey("id", .text)
        t.column("name", .text).notNull()
        t.column("district", .text).notNull()
        t.column("address", .text).notNull().defaults(to: "")
      }
      try db.create(table: "room") { t in
        t.column("centreId", .text).notNull().references("centre", onDelete: .cascade)
        t.column("id", .text).notNull()
        t.column("accessible", .boolean).notNull().defaults(to: false)
        t.column("rows", .integer).notNull()
        t.column("columns", .integer).notNull()
        t.primaryKey(["centreId", "id"])
      }
      try db.create(table: "seat") { t in
        t.column("centreId", .text).notNull()
        t.column("roomId", .text).notNull()
        t.column("id", .text).notNull()
        t.column("row", .integer).notNull()
        t.column("column", .integer).notNull()
        t.column("machineId", .text)
        t.column("reserve", .boolean).notNull().defaults(to: false)
        t.primaryKey(["centreId", "roomId", "id"])
        t.foreignKey(["centreId", "roomId"], references: "room", onDelete: .cascade)
      }
      try db.create(table: "session") { t in
        t.primaryKey("id", .text)
        t.column("date", .text).notNull()  // YYYY-MM-DD
        t.column("start", .text).notNull()  // HH:MM, local time of the sitting
        t.column("end", .text).notNull()
      }
      try db.create(table: "allocation") { t in
        t.column("examId", .text).notNull().references("exam", onDelete: .cascade)
        t.column("candidateId", .text).notNull().references("candidate")
        t.column("sessionId", .text).notNull().references("session")
        t.column("centreId", .text).notNull()
        t.column("roomId", .text).notNull()
        t.column("seatId", .text).notNull()
        t.column("form", .text).notNull().defaults(to: "A")
        t.primaryKey(["examId", "candidateId"])
        t.uniqueKey(["examId", "sessionId", "centreId", "roomId", "seatId"])
        t.foreignKey(["centreId", "roomId", "seatId"], references: "seat")
      }
      try db.create(table: "recording") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("examId", .text).notNull().references("exam")
        t.column("candidateId", .text).notNull().references("candidate")
        t.column("itemId", .text).notNull()
        t.column("version", .integer).notNull()  // 1, then 2… for conflicting resubmissions
        t.column("isCurrent", .boolean).notNull()
        t.column("originalSha256", .text).notNull()  // the centre's bytes, kept for appeals
        t.column("originalName", .text).notNull()
        t.column("storedSha256", .text).notNull()  // the 16 kHz mono FLAC in the content store
        t.column("durationSeconds", .double).notNull()
        t.column("originalSampleRate", .integer).notNull()
        t.column("originalChannels", .integer).notNull()
        t.column("originalFormat", .text).notNull()
        t.column("centreId", .text).notNull()
        t.column("sessionId", .text)
        t.column("seatId", .text)
        t.column("recordedAt", .text).notNull()
        t.column("ingestedAt", .text).notNull()
        t.column("batchId", .text).notNull()
        t.column("flags", .text).notNull().defaults(to: "")  // ';'-separated: silent, clipped, zero-run…
        t.uniqueKey(["examId", "candidateId", "itemId", "originalSha256"])
        t.foreignKey(["examId", "itemId"], references: "item")
      }
      try db.create(table: "listeningAnswer") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("examId", .text).notNull().references("exam")
        t.column("candidateId", .text).notNull().references("candidate")
        t.column("itemId", .text).notNull()
        t.column("choice", .text).notNull()
        t.column("answeredAt", .text).notNull()
        t.column("centreId", .text).notNull()
        t.column("batchId", .text).notNull()
        t.uniqueKey(["examId", "candidateId", "itemId"])
        t.foreignKey(["examId", "itemId"], references: "item")
      }
      try db.create(table: "result") { t in
        t.column("examId", .text).notNull().references("exam")
        t.column("candidateId", .text).notNull().references("candidate")
        t.column("sittingDate", .text).notNull()
        t.column("total", .double).notNull()
        t.column("listening", .double).notNull()
        t.column("speaking", .double).notNull()
        t.column("sectionScoresJSON", .text).notNull()  // {"sectionId": points}
        t.column("level", .text).notNull()
        t.column("finalisedAt", .text).notNull()
        t.primaryKey(["examId", "candidateId"])
      }
    }
  }
}
