import ExamCore
import GRDB

extension ExamDatabase {
  /// Adds raters and updates the name and school of known ones, in one transaction with the audit line.
  public func importRaters(_ raters: [Rater], audit: AuditEntry) throws {
    try write { db in
      for r in raters { try Self.upsertRater(r, in: db) }
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Adds a rater, or updates the name and school of a known one.
  static func upsertRater(_ r: Rater, in db: Database) throws {
    try db.execute(
      sql: """
        INSERT INTO rater (id, name, school) VALUES (?,?,?)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, school = excluded.school
        """, arguments: [r.id, r.name, r.school])
  }

  public func raters() throws -> [Rater] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM rater ORDER BY id").map {
        Rater(id: $0["id"], name: $0["name"], school: $0["school"])
      }
    }
  }

  /// Stores new assignments (existing ones for the same answer and slot are kept), with the audit line.
  /// Returns how many were added.
  @discardableResult
  public func saveAssignments(_ assignments: [MarkAssignment], audit: AuditEntry) throws -> Int {
    try write { db in
      var added = 0
      for a in assignments {
        try db.execute(
          sql: "INSERT OR IGNORE INTO markAssignment (recordingId, raterId, slot, assignedAt) VALUES (?,?,?,?)",
          arguments: [a.recordingId, a.raterId, a.slot, a.assignedAt])
        added += db.changesCount
      }
      if added > 0 { try Self.appendAudit(audit, in: db) }
      return added
    }
  }

  /// Assignments on the current recordings of `examId`.
  public func assignments(examId: String) throws -> [MarkAssignment] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT a.* FROM markAssignment a JOIN recording r ON r.id = a.recordingId
          WHERE r.examId = ? AND r.isCurrent ORDER BY a.recordingId, a.slot
          """, arguments: [examId]
      ).map(Self.markAssignment(from:))
    }
  }

  /// Inserts marks and replaces final marks, in one transaction with the audit line: nothing lands unless all do.
  /// A mark equal to a stored one (same answer, kind, rater and points) is skipped, so importing a file twice
  /// changes nothing. Final marks in `finals` whose `markIds` is empty refer to the marks inserted here for the
  /// same recording.
  /// - Throws: `ExamError.conflict` when a stored mark of the same rater for the same answer has other points.
  @discardableResult
  public func saveMarks(_ marks: [Mark], finals: [FinalMark], audit: AuditEntry) throws -> Int {
    try write { db in
      var added = 0
      var insertedIds: [Int64: [Int64]] = [:]
      for m in marks {
        if let existing = try Self.cachedRow(
          db, "SELECT id, points FROM mark WHERE recordingId = ? AND kind = ? AND raterId = ?",
          [m.recordingId, m.kind.rawValue, m.raterId])
        {
          let points: Double = existing["points"]
          if abs(points - m.points) < 1e-9 { continue }
          throw ExamError(
            .conflict, file: m.source, location: "answer \(m.recordingId)",
            "rater \(m.raterId) already gave this answer \(points) points, not \(m.points)",
            fix: "correct the file, or ask the exam office to withdraw the earlier mark")
        }
        try db.cachedStatement(
          sql: "INSERT INTO mark (recordingId, raterId, kind, points, markedAt, source) VALUES (?,?,?,?,?,?)"
        ).execute(arguments: [m.recordingId, m.raterId, m.kind.rawValue, m.points, m.markedAt, m.source])
        insertedIds[m.recordingId, default: []].append(db.lastInsertedRowID)
        added += 1
      }
      for f in finals {
        let ids = f.markIds.isEmpty ? (insertedIds[f.recordingId] ?? []) : f.markIds
        try db.execute(
          sql: """
            INSERT OR REPLACE INTO finalMark (recordingId, examId, candidateId, itemId, points, method, markIds, decidedAt)
            VALUES (?,?,?,?,?,?,?,?)
            """,
          arguments: [
            f.recordingId, f.examId, f.candidateId, f.itemId, f.points, f.method,
            ids.map(String.init).joined(separator: ";"), f.decidedAt,
          ])
      }
      if added > 0 || !finals.isEmpty { try Self.appendAudit(audit, in: db) }
      return added
    }
  }

  /// Every mark on the current recordings of `examId`, by answer and id.
  public func marks(examId: String) throws -> [Mark] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT m.* FROM mark m JOIN recording r ON r.id = m.recordingId
          WHERE r.examId = ? AND r.isCurrent ORDER BY m.recordingId, m.id
          """, arguments: [examId]
      ).map {
        Mark(
          id: $0["id"], recordingId: $0["recordingId"], raterId: $0["raterId"],
          kind: Mark.Kind(rawValue: $0["kind"]) ?? .human, points: $0["points"], markedAt: $0["markedAt"],
          source: $0["source"])
      }
    }
  }

  /// Final marks of the current recordings of `examId`.
  public func finalMarks(examId: String) throws -> [FinalMark] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT f.* FROM finalMark f JOIN recording r ON r.id = f.recordingId
          WHERE f.examId = ? AND r.isCurrent ORDER BY f.recordingId
          """, arguments: [examId]
      ).map {
        FinalMark(
          recordingId: $0["recordingId"], examId: $0["examId"], candidateId: $0["candidateId"], itemId: $0["itemId"],
          points: $0["points"], method: $0["method"],
          markIds: ($0["markIds"] as String).split(separator: ";").compactMap { Int64($0) }, decidedAt: $0["decidedAt"])
      }
    }
  }
}
