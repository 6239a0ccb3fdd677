import GRDB

extension Schema {
  /// v2-rooms: the last allocation run of each exam (seed and quality report), and the log of failed seats
  /// with where their candidate was moved (reseat).
  static func registerRooms(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v2-rooms") { db in
      try db.create(table: "allocationRun") { t in
        t.primaryKey("examId", .text).references("exam", onDelete: .cascade)
        t.column("seed", .text).notNull()  // UInt64 as decimal text
        t.column("reportJSON", .text).notNull()  // Allocation.PlanQuality, JSON
        t.column("createdAt", .text).notNull()
      }
      try db.create(table: "seatFailure") { t in
        t.column("examId", .text).notNull().references("exam", onDelete: .cascade)
        t.column("sessionId", .text).notNull()
        t.column("centreId", .text).notNull()
        t.column("roomId", .text).notNull()
        t.column("seatId", .text).notNull()  // the failed seat
        t.column("candidateId", .text)  // who sat there (nil when it was empty)
        t.column("toCentreId", .text)
        t.column("toRoomId", .text)
        t.column("toSeatId", .text)
        t.column("reason", .text).notNull()
        t.column("at", .text).notNull()
        t.column("operator", .text).notNull()
        t.primaryKey(["examId", "sessionId", "centreId", "roomId", "seatId"])
      }
    }
  }
}
