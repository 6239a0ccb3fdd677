import ExamCore
import GRDB

extension ExamDatabase {
  /// Inserts recordings and listening answers that are not there yet, in one transaction with the audit line.
  ///
  /// A recording is identified by (exam, candidate, item, original SHA-256): the same bytes twice add nothing.
  /// A different recording for the same candidate and item becomes the next version and the current one;
  /// the earlier version is kept. Returns the recordings actually added (with ids and versions).
  public func insertAnswers(recordings: [StoredRecording], listening: [ListeningAnswer], audit: AuditEntry?) throws
    -> (recordings: [StoredRecording], listeningAdded: Int)
  {
    try write { db in
      var added: [StoredRecording] = []
      for var r in recordings {
        let exists =
          try Bool.fetchOne(
            db,
            sql: """
              SELECT 1 FROM recording WHERE examId = ? AND candidateId = ? AND itemId = ? AND originalSha256 = ?
              """, arguments: [r.examId, r.candidateId, r.itemId, r.originalSha256]) ?? false
        if exists { continue }
        let previous =
          try Int.fetchOne(
            db, sql: "SELECT MAX(version) FROM recording WHERE examId = ? AND candidateId = ? AND itemId = ?",
            arguments: [r.examId, r.candidateId, r.itemId]) ?? 0
        r.version = previous + 1
        r.isCurrent = true
        try db.execute(
          sql: "UPDATE recording SET isCurrent = 0 WHERE examId = ? AND candidateId = ? AND itemId = ?",
          arguments: [r.examId, r.candidateId, r.itemId])
        try db.execute(
          sql: """
            INSERT INTO recording (examId, candidateId, itemId, version, isCurrent, originalSha256, originalName,
              storedSha256, durationSeconds, originalSampleRate, originalChannels, originalFormat, centreId, sessionId,
              seatId, recordedAt, ingestedAt, batchId, flags)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """,
          arguments: [
            r.examId, r.candidateId, r.itemId, r.version, true, r.originalSha256, r.originalName, r.storedSha256,
            r.durationSeconds, r.originalSampleRate, r.originalChannels, r.originalFormat, r.centreId, r.sessionId,
            r.seatId, r.recordedAt, r.ingestedAt, r.batchId, r.flags.joined(separator: ";"),
          ])
        r.id = db.lastInsertedRowID
        added.append(r)
      }
      var listeningAdded = 0
      for a in listening {
        try db.execute(
          sql: """
            INSERT OR IGNORE INTO listeningAnswer (examId, candidateId, itemId, choice, answeredAt, centreId, batchId)
            VALUES (?,?,?,?,?,?,?)
            """, arguments: [a.examId, a.candidateId, a.itemId, a.choice, a.answeredAt, a.centreId, a.batchId])
        listeningAdded += db.changesCount
      }
      if let audit, !added.isEmpty || listeningAdded > 0 { try Self.appendAudit(audit, in: db) }
      return (added, listeningAdded)
    }
  }

  /// Recordings of `examId` (only the current version of each answer unless `currentOnly` is false), by id.
  public func recordings(examId: String, currentOnly: Bool = true) throws -> [StoredRecording] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM recording WHERE examId = ? \(currentOnly ? "AND isCurrent" : "") ORDER BY id",
        arguments: [examId]
      ).map(Self.recording(from:))
    }
  }

  /// Every version of one candidate's answer to one item, oldest first.
  public func recordingVersions(examId: String, candidateId: String, itemId: String) throws -> [StoredRecording] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM recording WHERE examId = ? AND candidateId = ? AND itemId = ? ORDER BY version",
        arguments: [examId, candidateId, itemId]
      ).map(Self.recording(from:))
    }
  }

  /// Listening answers of `examId`.
  public func listeningAnswers(examId: String) throws -> [ListeningAnswer] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM listeningAnswer WHERE examId = ? ORDER BY candidateId, itemId", arguments: [examId]
      ).map {
        ListeningAnswer(
          examId: $0["examId"], candidateId: $0["candidateId"], itemId: $0["itemId"], choice: $0["choice"],
          answeredAt: $0["answeredAt"], centreId: $0["centreId"], batchId: $0["batchId"])
      }
    }
  }

  static func recording(from r: Row) -> StoredRecording {
    let flags = (r["flags"] as String).split(separator: ";").map(String.init)
    return StoredRecording(
      id: r["id"], examId: r["examId"], candidateId: r["candidateId"], itemId: r["itemId"], version: r["version"],
      isCurrent: r["isCurrent"], originalSha256: r["originalSha256"], originalName: r["originalName"],
      storedSha256: r["storedSha256"], durationSeconds: r["durationSeconds"],
      originalSampleRate: r["originalSampleRate"],
      originalChannels: r["originalChannels"], originalFormat: r["originalFormat"], centreId: r["centreId"],
      sessionId: r["sessionId"], seatId: r["seatId"], recordedAt: r["recordedAt"], ingestedAt: r["ingestedAt"],
      batchId: r["batchId"], flags: flags)
  }
}
