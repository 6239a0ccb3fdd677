import ExamCore
import GRDB

extension ExamDatabase {
  /// Replaces the whole seat plan of `examId` with `assignments`, in one transaction with its audit line.
  public func replaceAllocation(examId: String, _ assignments: [SeatAssignment], audit: AuditEntry) throws {
    try write { db in
      try db.execute(sql: "DELETE FROM allocation WHERE examId = ?", arguments: [examId])
      let statement = try db.makeStatement(
        sql: """
          INSERT INTO allocation (examId, candidateId, sessionId, centreId, roomId, seatId, form) VALUES (?,?,?,?,?,?,?)
          """)
      for a in assignments {
        try statement.execute(arguments: [examId, a.candidateId, a.sessionId, a.centreId, a.roomId, a.seatId, a.form])
      }
      try Self.appendAudit(audit, in: db)
    }
  }

  /// The seat plan of `examId`, ordered by session, centre, room and seat.
  public func allocation(examId: String) throws -> [SeatAssignment] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM allocation WHERE examId = ? ORDER BY sessionId, centreId, roomId, seatId",
        arguments: [examId]
      ).map(Self.assignment(from:))
    }
  }

  /// The seats of those of `candidateIds` allocated in `examId` (a batch's candidates: a read that does not grow
  /// with the city).
  public func allocation(examId: String, candidateIds: Set<String>) throws -> [SeatAssignment] {
    try read { db in
      try Self.rows(db, ids: candidateIds, leading: [examId]) {
        "SELECT * FROM allocation WHERE examId = ? AND candidateId IN (\($0))"
      }.map(Self.assignment(from:))
    }
  }

  /// One candidate's seat, or nil.
  public func assignment(examId: String, candidateId: String) throws -> SeatAssignment? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM allocation WHERE examId = ? AND candidateId = ?",
        arguments: [examId, candidateId]
      ).map(Self.assignment(from:))
    }
  }

  static func assignment(from r: Row) -> SeatAssignment {
    SeatAssignment(
      examId: r["examId"], candidateId: r["candidateId"], sessionId: r["sessionId"], centreId: r["centreId"],
      roomId: r["roomId"], seatId: r["seatId"], form: r["form"])
  }
}
