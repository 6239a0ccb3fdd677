import ExamCore
import Foundation
import GRDB

extension ExamDatabase {
  /// Stores a scoring model's JSON under its version (once; the same version twice is a no-op).
  public func saveScoringModel(version: String, json: String, audit: AuditEntry) throws {
    try write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO scoringModel (version, json, storedAt) VALUES (?,?,?)",
        arguments: [version, json, audit.at])
      if db.changesCount > 0 { try Self.appendAudit(audit, in: db) }
    }
  }

  /// The JSON of a stored model, by version, or of the one stored last (nil when none is stored).
  public func scoringModelJSON(version: String? = nil) throws -> String? {
    try read { db in
      if let version {
        return try String.fetchOne(db, sql: "SELECT json FROM scoringModel WHERE version = ?", arguments: [version])
      }
      return try String.fetchOne(db, sql: "SELECT json FROM scoringModel ORDER BY storedAt DESC, rowid DESC LIMIT 1")
    }
  }

  /// Current recordings (of `examId`, or of every exam) that have no machine score yet, by id: at most `limit`
  /// of them with ids above `afterId`, so a large sitting is read page by page.
  public func unscoredRecordings(examId: String?, afterId: Int64 = 0, limit: Int = Int(Int32.max)) throws
    -> [StoredRecording]
  {
    try read { db in
      let sql = """
        SELECT r.* FROM recording r LEFT JOIN machineScore m ON m.recordingId = r.id
        WHERE r.isCurrent AND m.recordingId IS NULL AND r.id > ? \(examId == nil ? "" : "AND r.examId = ?")
        ORDER BY r.id LIMIT ?
        """
      var arguments: StatementArguments = [afterId]
      if let examId { arguments += [examId] }
      arguments += [limit]
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.recording(from:))
    }
  }

  /// Saves machine scores, each with its machine mark (when it has points) and, when `finals` names it, its
  /// final mark — all in one transaction with the audit line. A recording already scored is skipped, so a
  /// resumed run never scores twice. Returns how many were added.
  @discardableResult
  public func saveMachineScores(_ scores: [MachineScore], finalRecordingIds: Set<Int64>, audit: AuditEntry) throws
    -> Int
  {
    let encoded = try scores.map { s in
      (
        String(decoding: try Self.encoder.encode(s.features), as: UTF8.self),
        String(decoding: try Self.encoder.encode(s.aspects), as: UTF8.self)
      )
    }
    return try write { db in
      var added = 0
      for (s, json) in zip(scores, encoded) {
        try db.execute(
          sql: """
            INSERT OR IGNORE INTO machineScore (recordingId, examId, candidateId, itemId, featuresJSON, aspectsJSON, points,
              confidence, needsHuman, reason, modelVersion, scoredAt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """,
          arguments: [
            s.recordingId, s.examId, s.candidateId, s.itemId, json.0, json.1, s.points, s.confidence,
            s.needsHuman, s.reason, s.modelVersion, s.scoredAt,
          ])
        guard db.changesCount > 0 else { continue }
        added += 1
        guard let points = s.points else { continue }
        try db.execute(
          sql: """
            INSERT INTO mark (recordingId, raterId, kind, points, markedAt, source) VALUES (?, 'machine', 'machine', ?, ?, ?)
            """, arguments: [s.recordingId, points, s.scoredAt, "model \(s.modelVersion)"])
        let markId = db.lastInsertedRowID
        if finalRecordingIds.contains(s.recordingId) {
          try db.execute(
            sql: """
              INSERT OR REPLACE INTO finalMark (recordingId, examId, candidateId, itemId, points, method, markIds, decidedAt)
              VALUES (?,?,?,?,?,?,?,?)
              """,
            arguments: [
              s.recordingId, s.examId, s.candidateId, s.itemId, points, "machine (confident)", "\(markId)", s.scoredAt,
            ])
        }
      }
      if added > 0 { try Self.appendAudit(audit, in: db) }
      return added
    }
  }

  /// Machine scores of the current recordings of `examId`, by recording id.
  public func machineScores(examId: String) throws -> [MachineScore] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT m.* FROM machineScore m JOIN recording r ON r.id = m.recordingId
          WHERE m.examId = ? AND r.isCurrent ORDER BY m.recordingId
          """, arguments: [examId]
      ).map(Self.machineScore(from:))
    }
  }

  /// How many current recordings of `examId` (or of all exams) exist and how many have a machine score.
  public func scoringProgress(examId: String?) throws -> (recordings: Int, scored: Int) {
    try read { db in
      let filter = examId == nil ? "" : "AND r.examId = ?"
      let args = StatementArguments(examId.map { [$0] } ?? [])
      let total =
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recording r WHERE r.isCurrent \(filter)", arguments: args) ?? 0
      let scored =
        try Int.fetchOne(
          db,
          sql: """
            SELECT COUNT(*) FROM recording r JOIN machineScore m ON m.recordingId = r.id WHERE r.isCurrent \(filter)
            """, arguments: args) ?? 0
      return (total, scored)
    }
  }
}
