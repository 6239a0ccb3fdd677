import ExamCore
import GRDB

/// What the store knows about a batch before a run starts.
public struct IngestBatchState: Sendable, Equatable {
  /// Runs started before this one.
  public var previousRuns: Int
  /// Whether an earlier run finished.
  public var finishedBefore: Bool
}

/// A refused file as the `quarantine` table keeps it.
public struct QuarantineRecord: Sendable, Codable, Equatable {
  public var batchId: String
  public var file: String
  public var line: Int?
  public var candidateId: String?
  public var itemId: String?
  public var reason: String
  public var message: String
  public var quarantinedAs: String?
  public var at: String

  public init(
    batchId: String, file: String, line: Int?, candidateId: String?, itemId: String?, reason: String,
    message: String, quarantinedAs: String?, at: String
  ) {
    self.batchId = batchId
    self.file = file
    self.line = line
    self.candidateId = candidateId
    self.itemId = itemId
    self.reason = reason
    self.message = message
    self.quarantinedAs = quarantinedAs
    self.at = at
  }
}

/// A batch row: where it came from, how often it ran, and its last report (JSON).
public struct IngestBatchRecord: Sendable, Equatable {
  public var id: String
  public var examId: String
  public var centreId: String
  public var sessionId: String?
  public var source: String
  public var runs: Int
  public var startedAt: String
  public var finishedAt: String?
  public var reportJSON: String?
}

extension ExamDatabase {
  /// Registers the start of a run on batch `id` (creating the batch row the first time), with its audit line.
  /// - Returns: what earlier runs left: how many there were and whether one finished.
  public func beginIngestBatch(
    id: String, examId: String, centreId: String, sessionId: String?, source: String,
    at: String, audit: AuditEntry
  ) throws -> IngestBatchState {
    try write { db in
      let row = try Row.fetchOne(db, sql: "SELECT runs, firstFinishedAt FROM ingestBatch WHERE id = ?", arguments: [id])
      let state = IngestBatchState(
        previousRuns: row?["runs"] ?? 0, finishedBefore: (row?["firstFinishedAt"] as String?) != nil)
      if row == nil {
        try db.execute(
          sql: """
            INSERT INTO ingestBatch (id, examId, centreId, sessionId, source, runs, startedAt) VALUES (?,?,?,?,?,1,?)
            """, arguments: [id, examId, centreId, sessionId, source, at])
      } else {
        try db.execute(
          sql: "UPDATE ingestBatch SET runs = runs + 1, startedAt = ?, finishedAt = NULL, source = ? WHERE id = ?",
          arguments: [at, source, id])
      }
      try Self.appendAudit(audit, in: db)
      return state
    }
  }

  /// Marks batch `id` finished with its report and replaces its quarantine rows, in one transaction with the audit line.
  public func finishIngestBatch(
    id: String, at: String, reportJSON: String, quarantine: [QuarantineRecord],
    audit: AuditEntry
  ) throws {
    try write { db in
      try db.execute(
        sql: """
          UPDATE ingestBatch SET finishedAt = ?, firstFinishedAt = COALESCE(firstFinishedAt, ?), reportJSON = ? WHERE id = ?
          """, arguments: [at, at, reportJSON, id])
      try db.execute(sql: "DELETE FROM quarantine WHERE batchId = ?", arguments: [id])
      let insert = try db.makeStatement(
        sql: """
          INSERT OR REPLACE INTO quarantine (batchId, file, line, candidateId, itemId, reason, message, quarantinedAs, at)
          VALUES (?,?,?,?,?,?,?,?,?)
          """)
      for q in quarantine {
        try insert.execute(arguments: [
          id, q.file, q.line, q.candidateId, q.itemId, q.reason, q.message, q.quarantinedAs, q.at,
        ])
      }
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Batches, newest start first (optionally of one centre).
  public func ingestBatches(centreId: String? = nil) throws -> [IngestBatchRecord] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM ingestBatch \(centreId == nil ? "" : "WHERE centreId = ?") ORDER BY startedAt DESC, id
          """, arguments: StatementArguments(centreId.map { [$0] } ?? [])
      ).map {
        IngestBatchRecord(
          id: $0["id"], examId: $0["examId"], centreId: $0["centreId"], sessionId: $0["sessionId"],
          source: $0["source"], runs: $0["runs"], startedAt: $0["startedAt"], finishedAt: $0["finishedAt"],
          reportJSON: $0["reportJSON"])
      }
    }
  }

  /// The refused files of batch `batchId`, by file.
  public func quarantined(batchId: String) throws -> [QuarantineRecord] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM quarantine WHERE batchId = ? ORDER BY file, reason", arguments: [batchId]
      ).map {
        QuarantineRecord(
          batchId: $0["batchId"], file: $0["file"], line: $0["line"], candidateId: $0["candidateId"],
          itemId: $0["itemId"], reason: $0["reason"], message: $0["message"], quarantinedAs: $0["quarantinedAs"],
          at: $0["at"])
      }
    }
  }

  /// Keys `candidate|item|originalSha256` of the recordings of `candidateIds` (a batch's candidates) in `examId`.
  public func recordingKeys(examId: String, candidateIds: Set<String>) throws -> Set<String> {
    try read { db in
      Set(
        try Self.rows(db, ids: candidateIds, leading: [examId]) {
          "SELECT candidateId, itemId, originalSha256 FROM recording WHERE examId = ? AND candidateId IN (\($0))"
        }.map { "\($0["candidateId"] as String)|\($0["itemId"] as String)|\($0["originalSha256"] as String)" })
    }
  }

  /// Stored listening choices of `candidateIds` (a batch's candidates) in `examId`, keyed `candidate|item`.
  public func listeningChoices(examId: String, candidateIds: Set<String>) throws -> [String: String] {
    try read { db in
      var choices: [String: String] = [:]
      let rows = try Self.rows(db, ids: candidateIds, leading: [examId]) {
        "SELECT candidateId, itemId, choice FROM listeningAnswer WHERE examId = ? AND candidateId IN (\($0))"
      }
      for row in rows {
        choices["\(row["candidateId"] as String)|\(row["itemId"] as String)"] = row["choice"]
      }
      return choices
    }
  }
}
